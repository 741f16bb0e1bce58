// Name words as integer codes, so that a search can tell whether a typed word starts one of a person's name words
// without reading the name string (a cache miss of its own per person): the first NAME_SLOTS words of each name,
// each as CODES codes of four characters, in one Int32Array at id × NAME_SLOTS × CODES. Relevance and the
// type-ahead both decide "starts a name word" here.

/** How many name words per person are coded; words past them are only in the name string. */
export const NAME_SLOTS = 4;
/** Codes per name word: the first 4 × CODES characters. */
export const CODES = 2;
/** Ints per person in the codes array. */
export const CODE_STRIDE = NAME_SLOTS * CODES;

/**
 * Four characters of a word from `from` in one integer (8 bits each); equal prefixes give equal codes. A character
 * past Latin-1 counts as 0xff, which no folded word holds (ÿ folds to y): so for words of Latin-1 letters equal
 * codes mean equal characters.
 */
export function prefixCode(word: string, from = 0): number {
  let code = 0;
  for (let i = from; i < from + 4; i++) {
    const c = i < word.length ? word.charCodeAt(i) : 0;
    code = (code << 8) | (c < 0x100 ? c : 0xff);
  }
  return code;
}

/** Writes person `id`'s codes from their (folded) name words. */
export function writeNameCodes(codes: Int32Array, id: number, words: string[]): void {
  const base = id * CODE_STRIDE;
  for (let k = 0; k < NAME_SLOTS; k++) {
    const w = words[k];
    for (let c = 0; c < CODES; c++) codes[base + k * CODES + c] = w ? prefixCode(w, 4 * c) : 0;
  }
}

/** A typed word, ready to be compared with the codes. */
export interface TypedWord {
  spaced: string;
  code0: number;
  mask0: number;
  code1: number;
  mask1: number;
  /** at most 4 × CODES Latin-1 letters: codes that agree are proof, the string is not read */
  exact: boolean;
}

const maskOf = (chars: number): number => (chars >= 4 ? -1 : chars <= 0 ? 0 : ~(-1 >>> (8 * chars)));

export function typedWord(w: string): TypedWord {
  return {
    spaced: ` ${w}`,
    code0: prefixCode(w, 0) & maskOf(w.length),
    mask0: maskOf(w.length),
    code1: prefixCode(w, 4) & maskOf(w.length - 4),
    mask1: maskOf(w.length - 4),
    exact: w.length <= 4 * CODES && !/[^\u0001-\u00fe]/.test(w),
  };
}

/** Does one of person `id`'s name words start with the typed word? The codes decide most without the string. */
export function startsAWord(codes: Int32Array, nameWords: string[], id: number, w: TypedWord): boolean {
  const base = id * CODE_STRIDE;
  const end = base + CODE_STRIDE;
  for (let k = base; k < end; k += CODES) {
    const v = codes[k]!;
    if (v !== 0 && (v & w.mask0) === w.code0 && (codes[k + 1]! & w.mask1) === w.code1 && (w.exact || nameWords[id]!.includes(w.spaced))) return true;
  }
  // words past the coded slots are only in the string
  return codes[end - CODES] !== 0 && nameWords[id]!.includes(w.spaced);
}
