import { compress } from "@retrieval-free/core-engine";
import type { Encoder, TokenCounter } from "@retrieval-free/core-engine";

import {
  createSentencePool,
  fitSentences,
  randomOrder,
  truncateHead,
} from "./baselines.js";
import { dataFile } from "./data-path.js";
import { readJsonLines } from "./jsonl.js";
import { formatPercent, renderTable } from "./markdown.js";
import { METHOD_LABELS, RANDOM_SEEDS } from "./methods.js";
import type { MethodName } from "./methods.js";
import { containsAnyAnswer, normalizeAnswer } from "./normalize.js";
import type { QaSetName } from "./qa-items.js";
import { splitSentences } from "./sentences.js";

/**
 * Methods whose output does not depend on the question, so one output per
 * article can be scored against every question of the article.
 */
export const QUESTION_FREE_METHODS: readonly MethodName[] = [
  "engine-agnostic",
  "model-agnostic",
  "lexical-agnostic",
  "pruned-agnostic",
  "head",
  "random",
];

/** A SQuAD development set read as whole articles and all their questions. */
export interface ArticleSetDefinition {
  /** The sampled set whose articles these are. */
  readonly name: QaSetName;
  readonly label: string;
  /** Paths relative to the data folder. */
  readonly articles: string;
  readonly questions: string;
}

/** The article sets, one per SQuAD version. */
export const ARTICLE_SETS: readonly ArticleSetDefinition[] = [
  {
    name: "squad11",
    label: "SQuAD v1.1 dev, all questions",
    articles: "squad-dev/articles_v1.1.jsonl",
    questions: "squad-dev/questions_v1.1.jsonl",
  },
  {
    name: "squad20",
    label: "SQuAD v2.0 dev, all answerable questions",
    articles: "squad-dev/articles_v2.0.jsonl",
    questions: "squad-dev/questions_v2.0.jsonl",
  },
];

interface Article {
  readonly id: string;
  readonly paragraphs: readonly string[];
}

interface Question {
  readonly articleId: string;
  readonly answers: readonly string[];
  readonly isImpossible: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function toArticle(value: unknown): Article {
  if (
    !isRecord(value) ||
    typeof value.id !== "string" ||
    !isStringList(value.paragraphs)
  ) {
    throw new TypeError(
      'an article needs a string "id" and a list of strings "paragraphs"',
    );
  }
  return { id: value.id, paragraphs: value.paragraphs };
}

function toQuestion(value: unknown): Question {
  if (
    !isRecord(value) ||
    typeof value.article_id !== "string" ||
    !isStringList(value.answers)
  ) {
    throw new TypeError(
      'a question needs a string "article_id" and a list of strings "answers"',
    );
  }
  return {
    articleId: value.article_id,
    answers: value.answers,
    isImpossible: value.is_impossible === true,
  };
}

/** Answer retention of one method at one ratio over all questions. */
export interface ArticleCell {
  readonly method: MethodName;
  readonly ratio: number;
  /** Share of scored questions whose gold answer is in the output, 0–1. */
  readonly answerRetention: number;
}

/** Results of one article set. */
export interface ArticleSetResult {
  readonly set: QaSetName;
  readonly label: string;
  readonly articles: number;
  /** Questions with at least one answer; unanswerable ones are left out. */
  readonly questions: number;
  readonly cells: readonly ArticleCell[];
}

/** Options of {@link runArticleSet}. */
export interface ArticleRunOptions {
  readonly dataDirectory: string;
  readonly counter: TokenCounter;
  readonly methods: readonly MethodName[];
  readonly ratios: readonly number[];
  /** Articles to run; all when undefined. */
  readonly limit: number | undefined;
  /** The built-in model, for `model-agnostic`. */
  readonly builtInEncoder: Encoder | undefined;
}

async function outputsOf(
  article: Article,
  method: MethodName,
  budget: number,
  options: ArticleRunOptions,
): Promise<string[]> {
  const { counter, builtInEncoder } = options;
  const context = article.paragraphs.join("\n\n");
  if (method.endsWith("-agnostic")) {
    const encoder =
      method === "lexical-agnostic"
        ? "none"
        : method === "model-agnostic" || method === "pruned-agnostic"
          ? builtInEncoder
          : "hashing";
    const result = await compress(context, {
      targetTokens: budget,
      megaTokens: false,
      ...(encoder === undefined ? {} : { encoder }),
      granularity: method === "pruned-agnostic" ? "token" : "sentence",
    });
    return [result.text];
  }
  if (method === "head") {
    return [truncateHead(context, budget, counter).text];
  }
  const pool = createSentencePool(splitSentences(article.paragraphs), counter);
  return RANDOM_SEEDS.map(
    (seed) => fitSentences(pool, randomOrder(pool, seed), budget, counter).text,
  );
}

/**
 * Compresses each article once per question-free method and ratio, with
 * the budget floor(article tokens / ratio), and scores the output against
 * every answerable question of the article. The sampled sets score four
 * questions per article at most, so this measures the same methods with
 * far less sampling noise.
 */
export async function runArticleSet(
  set: ArticleSetDefinition,
  options: ArticleRunOptions,
): Promise<ArticleSetResult> {
  const { dataDirectory, counter } = options;
  const allArticles = await readJsonLines(
    dataFile(dataDirectory, set.articles),
    toArticle,
  );
  const articles = allArticles.slice(0, options.limit ?? allArticles.length);
  const questions = await readJsonLines(
    dataFile(dataDirectory, set.questions),
    toQuestion,
  );
  const byArticle = new Map<string, Question[]>();
  for (const question of questions) {
    if (question.isImpossible || question.answers.length === 0) {
      continue;
    }
    const list = byArticle.get(question.articleId) ?? [];
    list.push(question);
    byArticle.set(question.articleId, list);
  }
  const methods = options.methods.filter((method) =>
    QUESTION_FREE_METHODS.includes(method),
  );
  const hits = new Map<string, number>();
  let scored = 0;
  for (const article of articles) {
    const questionsOfArticle = byArticle.get(article.id) ?? [];
    scored += questionsOfArticle.length;
    const tokens = counter.count(article.paragraphs.join("\n\n"));
    for (const method of methods) {
      for (const ratio of options.ratios) {
        const outputs = await outputsOf(
          article,
          method,
          Math.floor(tokens / ratio),
          options,
        );
        const key = `${method}:${ratio}`;
        for (const output of outputs) {
          const normalized = normalizeAnswer(output);
          const retained = questionsOfArticle.filter((question) =>
            containsAnyAnswer(normalized, question.answers),
          ).length;
          hits.set(key, (hits.get(key) ?? 0) + retained / outputs.length);
        }
      }
    }
  }
  return {
    set: set.name,
    label: set.label,
    articles: articles.length,
    questions: scored,
    cells: methods.flatMap((method) =>
      options.ratios.map((ratio) => ({
        method,
        ratio,
        answerRetention:
          scored > 0 ? (hits.get(`${method}:${ratio}`) ?? 0) / scored : 0,
      })),
    ),
  };
}

/** Renders the retention table of one article set as a Markdown section. */
export function renderArticleSection(result: ArticleSetResult): string {
  const ratios = [...new Set(result.cells.map((cell) => cell.ratio))];
  const methods = [...new Set(result.cells.map((cell) => cell.method))];
  const rows = methods.map((method) => [
    METHOD_LABELS[method],
    ...ratios.map((ratio) =>
      formatPercent(
        result.cells.find(
          (cell) => cell.method === method && cell.ratio === ratio,
        )?.answerRetention,
      ),
    ),
  ]);
  return [
    `## ${result.label} (\`${result.set}\` articles)`,
    `${result.articles} articles, ${result.questions} questions. Each question-free method compresses every article once per ratio; answer retention is the share of all the article's questions whose gold answer is in that output.`,
    renderTable(["method", ...ratios.map((ratio) => `${ratio}×`)], rows),
  ].join("\n\n");
}
