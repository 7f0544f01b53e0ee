/** The class names given, without the false, null or undefined ones: `cx(a, on && b)`. */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
