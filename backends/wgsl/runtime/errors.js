// @ts-check
/**
 * Error types of the WGSL runtime, and the formatting of WGSL compiler messages.
 * Kept apart so every other file can throw them without import cycles, and so callers can
 * tell "no GPU here" (skip / fall back to the JS backend) from "the shader is wrong" (a bug).
 */

/** No WebGPU adapter could be found; the message lists every backend that was tried and why it failed. */
export class GpuUnavailableError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

/** A WGSL module or compute pipeline failed to compile; `messages` are "line:col type: text" strings. */
export class WgslCompileError extends Error {
  /** @param {string} message @param {string[]} messages */
  constructor(message, messages) {
    super(message);
    this.name = 'WgslCompileError';
    this.messages = messages;
  }
}

/** The device reported validation / out-of-memory / internal errors for earlier work, or was lost. */
export class GpuError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'GpuError';
  }
}

/**
 * One line per compiler message, "line:col type: text", followed by the offending source line and a
 * caret, because the bare Dawn text ("unresolved value 'y'") is useless for generated code without it.
 * @param {readonly GPUCompilationMessage[]} messages
 * @param {string} source
 * @returns {string[]}
 */
export function formatCompilationMessages(messages, source) {
  const lines = source.split('\n');
  return messages.map((m) => {
    const head = `${m.lineNum}:${m.linePos} ${m.type}: ${m.message}`;
    const text = m.lineNum > 0 ? lines[m.lineNum - 1] : undefined;
    if (text === undefined) return head;
    return `${head}\n    ${text}\n    ${' '.repeat(Math.max(0, m.linePos - 1))}^`;
  });
}
