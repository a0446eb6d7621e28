/**
 * A literal string inside a RegExp: the lexicons' words (C++, .NET, ※) are matched as written.
 * One definition, used by every layer that builds a pattern from data.
 */
export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
