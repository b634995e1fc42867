/** Words for the contracts' enums, kept in step with them by the compiler. */

/**
 * The words of each member of an enum, as a list by value: `enumWords(ClaimType, { VoluntaryOffset: "voluntary
 * offset", … })`. The words are keyed by member name, so a member left out, misspelt or added to the contract (the
 * enum is generated from it) fails to compile.
 */
export function enumWords<E extends Record<string, number>>(
  members: E,
  words: { readonly [K in keyof E]: string },
): readonly string[] {
  const byValue: string[] = [];
  for (const [name, value] of Object.entries(members)) byValue[value] = words[name as keyof E];
  return byValue;
}
