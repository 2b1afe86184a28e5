/** A long text of the speed benchmark and the question asked of it. */
export interface SpeedText {
  /** Name accepted by `--texts`. */
  readonly name: string;
  /** Path relative to the data folder. */
  readonly file: string;
  readonly title: string;
  /** Question used for the query-aware compression. */
  readonly query: string;
}

/** The texts in run order, from the largest to the smallest. */
export const SPEED_TEXTS: readonly SpeedText[] = [
  {
    name: "war-and-peace",
    file: "long-texts/war_and_peace_pg2600.txt",
    title: "War and Peace",
    query: "What did Pierre do after the duel?",
  },
  {
    name: "moby-dick",
    file: "long-texts/moby_dick_pg2701.txt",
    title: "Moby Dick",
    query: "Who is the captain of the Pequod?",
  },
  {
    name: "rfc2616",
    file: "long-texts/rfc2616.txt",
    title: "RFC 2616",
    query: "How does a cache validate a response?",
  },
];

/** Compression ratio of every speed measurement. */
export const SPEED_RATIO = 8;

/** Measured runs per text when `--runs` is not given. */
export const DEFAULT_SPEED_RUNS = 7;
