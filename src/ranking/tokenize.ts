import { stemmer } from 'stemmer';

/**
 * English stop words plus the boilerplate every abstract uses ("we propose a novel method ..."):
 * they carry no topic, and leaving them out keeps the index small and phrases tight.
 */
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can could did do does doing down during each few for from further had has ' +
    'have having he her here hers herself him himself his how i if in into is it its itself just me more ' +
    'most my myself no nor not now of off on once only or other our ours ourselves out over own same she ' +
    'should so some such than that the their theirs them themselves then there these they this those ' +
    'through to too under until up very was we were what when where which while who whom why will with ' +
    'would you your yours yourself yourselves via using use used based new novel propose proposed ' +
    'proposes present presents paper work show shows shown demonstrate approach method methods results ' +
    'introduce introduces toward towards however moreover furthermore thus therefore across within without ' +
    'upon among well may might must shall yet'
  ).split(' '),
);

// Stemming is the costly part of tokenising a corpus and the vocabulary is small: remember stems.
const stems = new Map<string, string>();
const MAX_STEMS = 200_000;

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    // Porter is an English stemmer: only plain a-z words go through it.
    s = /^[a-z]+$/.test(word) && word.length > 3 ? stemmer(word) : word;
    if (stems.size >= MAX_STEMS) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** Lower case, accents folded (é → e, ü → u), so "Müller" and "Muller" meet. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const SPLIT = /[^\p{L}\p{N}]+/u;

/**
 * Text → index terms: folded to lower case without accents, split on anything that is not a letter
 * or digit in any script ("multi-agent" → multi, agent), stop words and one-letter words dropped,
 * English words Porter-stemmed ("learning" → learn). Order is kept, so phrases can be matched.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of foldText(text).split(SPLIT)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    if (raw === '' || STOP_WORDS.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

/** Author and organisation names compared loosely: folded, punctuation and handles' dashes as spaces. */
export function normalizeName(name: string): string {
  return foldText(name)
    .split(SPLIT)
    .filter((w) => w !== '')
    .join(' ');
}
