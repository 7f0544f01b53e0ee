/** Where JSON.parse stopped, as `line:col: message`, or null when the text is valid JSON. */
export function jsonProblem(text: string): { line: number; column: number; message: string } | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { line: Number(lc[1]), column: Number(lc[2]), message: message.replace(/\s*\(line \d+ column \d+\)/, '') };
    const pos = /position (\d+)/.exec(message);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      return { line, column, message: message.replace(/\s*at position \d+.*$/, '') };
    }
    return { line: 1, column: 1, message };
  }
}
