// How two people's names agree: the same, the same spelt another way (ü = ue, accents, a middle name), swapped,
// an initial, only similar (sounding alike or a typo away: weaker, as different people's names often are), or
// clearly different. Called for every compared pair of a scan: kept cheap.
import { jaroWinkler } from './match.domain.js';
import type { Features, ReasonKey } from './score.domain.js';

function firstToken(s: string): string {
  const i = s.indexOf(' ');
  return i < 0 ? s : s.slice(0, i);
}

/** Alike but not equal: a typo away, tried only when the first letters agree (Jaro-Winkler is the costly part). */
function typoAway(x: string, y: string): boolean {
  return x.length > 0 && x[0] === y[0] && jaroWinkler(x, y) >= 0.93;
}

function firstAlike(a: Features, b: Features): boolean {
  return a.firstG !== '' && (a.firstG === b.firstG || typoAway(a.firstG, b.firstG));
}

/** The strongest way two names agree (or clearly differ), or null. Called for every compared pair: kept cheap. */
export function compareNames(a: Features, b: Features): ReasonKey | null {
  if (!(a.firstG || a.lastG) || !(b.firstG || b.lastG)) return null;
  const plainSame = a.firstP === b.firstP && a.lastP === b.lastP;
  if (plainSame && a.first.toLowerCase() === b.first.toLowerCase() && a.last.toLowerCase() === b.last.toLowerCase()) return 'sameName';
  if (plainSame || (a.firstG === b.firstG && a.lastG === b.lastG)) return 'namesAlike';
  if (a.firstG && a.lastG && ((a.firstG === b.lastG && a.lastG === b.firstG) || (a.firstP === b.lastP && a.lastP === b.firstP))) return 'namesSwapped';
  const lastSame = (a.lastG !== '' && a.lastG === b.lastG) || (a.lastP !== '' && a.lastP === b.lastP);
  if (lastSame && a.firstG && b.firstG) {
    const fa = firstToken(a.firstG);
    const fb = firstToken(b.firstG);
    if ((fa.length === 1 || fb.length === 1) && fa[0] === fb[0]) return 'initial';
    if (fa === fb) return 'namesAlike'; // "Jana Maria" and "Jana"
  }
  // a last name that sounds the same (Meier / Mayer) or is a typo away (Schnieder), and a first name the same or
  // a typo away (Lena / Lea): similar, not the same name spelt another way (in a big network, often two people);
  // the first names' Jaro-Winkler (the costly part) only where its answer changes the outcome
  const lastAlike = a.lastG !== '' && b.lastG !== '' && ((a.lastCode !== '' && a.lastCode === b.lastCode) || typoAway(a.lastG, b.lastG));
  if (lastAlike && firstAlike(a, b)) return 'namesSimilar';
  if (lastSame) return 'sameLastName';
  if (!lastAlike && a.firstCode !== b.firstCode && a.lastCode !== b.lastCode && !firstAlike(a, b)) return 'differentNames';
  return null;
}
