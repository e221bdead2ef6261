// Names the loop IR makes up for chunk loops, defined once: the planner creates them, the DSL's
// size check accepts them (a chunked buffer's shape names the piece length), renderers bind them.
const CHUNK_SUFFIX = '_chunk';

/** The piece-length size symbol of chunked symbol X: X_chunk. */
export const chunkSymbolOf = (x: string): string => `${x}${CHUNK_SUFFIX}`;
/** The loop variable holding the start of the current piece of X: off_X. */
export const chunkOffsetOf = (x: string): string => `off_${x}`;
/** Whether a size name is a chunk's piece length (made by the planner, not bound by a parameter). */
export const isChunkSymbol = (name: string): boolean => name.endsWith(CHUNK_SUFFIX);

/** The size symbol counting the private copies of scatter stage `stage`'s target: copies_s2. */
export const copiesSymbolOf = (stage: string): string => `copies_${stage}`;
/** The buffer holding those copies: priv_s2. */
export const copiesBufferOf = (stage: string): string => `priv_${stage}`;
