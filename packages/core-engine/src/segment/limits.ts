/**
 * Units longer than this many estimated tokens are cut into windows. Most
 * prose sentences stay whole; a log line or a list without full stops
 * becomes several units.
 */
export const MAX_UNIT_TOKENS = 200;

/** Size of the windows that an over-long unit is cut into, in estimated tokens. */
export const WINDOW_TOKENS = 120;
