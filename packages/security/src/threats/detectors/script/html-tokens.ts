import { Tokenizer, TokenizerMode } from "parse5";
import type { Token, TokenHandler } from "parse5";

import type { TextSpan } from "../../normalize/mapped-text.js";

/** One attribute of a start tag, with its span in the tokenized string. */
export interface HtmlAttribute extends TextSpan {
  /** Name, lower-cased, with its namespace prefix such as `xlink:href`. */
  readonly name: string;
  /** Value with character references decoded by the tokenizer. */
  readonly value: string;
}

/** One start tag, with the raw text content of `script` or `style`. */
export interface HtmlTag extends TextSpan {
  readonly name: string;
  readonly attributes: readonly HtmlAttribute[];
  /**
   * Span of the element's raw text content and end tag, for elements
   * whose content the tokenizer reads as text, such as `script`.
   */
  content?: TextSpan & { readonly closed: boolean };
}

/** One comment, such as an IE conditional comment. */
export interface HtmlComment extends TextSpan {
  readonly data: string;
}

/** The tags and comments of an HTML string. */
export interface HtmlTokens {
  readonly tags: HtmlTag[];
  readonly comments: HtmlComment[];
}

/**
 * Tokenizer states that an HTML parser switches to after these start
 * tags, so their content is read as text, as in a browser with scripting
 * enabled.
 */
const TEXT_STATES: Readonly<
  Record<string, (typeof TokenizerMode)[keyof typeof TokenizerMode]>
> = {
  script: TokenizerMode.SCRIPT_DATA,
  style: TokenizerMode.RAWTEXT,
  xmp: TokenizerMode.RAWTEXT,
  iframe: TokenizerMode.RAWTEXT,
  noembed: TokenizerMode.RAWTEXT,
  noframes: TokenizerMode.RAWTEXT,
  noscript: TokenizerMode.RAWTEXT,
  textarea: TokenizerMode.RCDATA,
  title: TokenizerMode.RCDATA,
  plaintext: TokenizerMode.PLAINTEXT,
};

function attributesOf(token: Token.TagToken): HtmlAttribute[] {
  const located = token.location?.attrs ?? {};
  return token.attrs.map((attribute) => {
    const name =
      attribute.prefix === undefined || attribute.prefix === ""
        ? attribute.name
        : `${attribute.prefix}:${attribute.name}`;
    const location = located[name] ?? located[attribute.name];
    return {
      name,
      value: attribute.value,
      start: location?.startOffset ?? token.location?.startOffset ?? 0,
      end: location?.endOffset ?? token.location?.endOffset ?? 0,
    };
  });
}

/**
 * Collects tags and comments from the parse5 tokenizer, and switches the
 * tokenizer to text reading after raw-text start tags, as an HTML parser
 * does.
 */
class MarkupCollector implements TokenHandler {
  readonly tags: HtmlTag[] = [];
  readonly comments: HtmlComment[] = [];
  readonly #html: string;
  readonly #tokenizer: Tokenizer;
  #open: HtmlTag | undefined;
  #foreignDepth = 0;

  constructor(html: string) {
    this.#html = html;
    this.#tokenizer = new Tokenizer({ sourceCodeLocationInfo: true }, this);
  }

  run(): void {
    this.#tokenizer.write(this.#html, true);
  }

  onStartTag(token: Token.TagToken): void {
    const tag: HtmlTag = {
      name: token.tagName,
      attributes: attributesOf(token),
      start: token.location?.startOffset ?? 0,
      end: token.location?.endOffset ?? 0,
    };
    this.tags.push(tag);
    if (token.tagName === "svg" || token.tagName === "math") {
      this.#foreignDepth += token.selfClosing ? 0 : 1;
    }
    const state = TEXT_STATES[token.tagName];
    if (state !== undefined && !token.selfClosing && this.#foreignDepth === 0) {
      this.#tokenizer.state = state;
      tag.content = { start: tag.end, end: this.#html.length, closed: false };
      this.#open = tag;
    }
    this.#tokenizer.inForeignNode = this.#foreignDepth > 0;
  }

  onEndTag(token: Token.TagToken): void {
    if (token.tagName === "svg" || token.tagName === "math") {
      this.#foreignDepth = Math.max(0, this.#foreignDepth - 1);
      this.#tokenizer.inForeignNode = this.#foreignDepth > 0;
    }
    const open = this.#open;
    if (open?.content !== undefined && token.tagName === open.name) {
      open.content = {
        start: open.content.start,
        end: token.location?.endOffset ?? this.#html.length,
        closed: true,
      };
      this.#open = undefined;
    }
  }

  onComment(token: Token.CommentToken): void {
    this.comments.push({
      data: token.data,
      start: token.location?.startOffset ?? 0,
      end: token.location?.endOffset ?? this.#html.length,
    });
  }

  onDoctype(): void {}
  onEof(): void {}
  onCharacter(): void {}
  onNullCharacter(): void {}
  onWhitespaceCharacter(): void {}
}

/**
 * Tokenizes HTML with the parse5 tokenizer, without building a tree, so
 * every start tag and attribute keeps its exact offsets even where a tree
 * builder would move or merge it (a second `<body>`, foster-parented table
 * content). Offsets are code units of `html`.
 */
export function tokenizeHtml(html: string): HtmlTokens {
  const collector = new MarkupCollector(html);
  collector.run();
  return { tags: collector.tags, comments: collector.comments };
}
