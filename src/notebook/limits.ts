/** The limits of what the kernel takes (docs/language.md, "Limits"): past them a cell or a
 *  notebook gets a clear error at once instead of slow work. Each is far above what a notebook
 *  written by a person needs; together they bound the time and memory one cell or one notebook
 *  can cost (checking and locating are linear in a cell's size, invalidation is linear in the
 *  number of cells and their names). */

/** Characters in one cell (256,000: some 15,000 holdings). A larger cell is refused before it is
 *  parsed; checking one this size takes well under a second, so squiggles keep up with typing. */
export const MAX_CELL_CHARS = 256_000;

/** Problems shown for one cell; the rest are counted in one last problem. */
export const MAX_PROBLEMS_PER_CELL = 100;

/** Cells (code and markdown) in one notebook the kernel runs. */
export const MAX_CELLS = 5_000;

/** Brackets ([ and {) open at once in a cell: a cell's values are a few levels deep. */
export const MAX_CELL_NESTING = 64;

/** YAML aliases (*name): at most this many values made by expanding them (the yaml library's
 *  guard against an alias bomb, where a few lines expand to millions of values). */
export const MAX_ALIAS_EXPANSION = 100;

/** Arrays and objects open at once in a .hedgebook file (its own structure is 6 deep; the rest
 *  is free-form metadata). */
export const MAX_NOTEBOOK_DEPTH = 100;

/** Characters in a .hedgebook file (100 MB): outputs are bounded by what they show, so a real
 *  notebook stays far below. Past it the file is refused before JSON parsing. */
export const MAX_NOTEBOOK_CHARS = 100_000_000;
