// The category search of gridgov/data/taxonomy/search.py, on the cached index: Chinese text, full pinyin,
// pinyin initials, runs of syllable prefixes ("ljfl"). Same scores, so offline finds what online finds.
const NOT_LETTERS = /[^a-z]/g;

function prefixesMatch(syllables, start, letters) {
  if (!letters) { return true; }
  if (start >= syllables.length) { return false; }
  const syllable = syllables[start];
  for (let k = Math.min(syllable.length, letters.length); k > 0; k--) {
    if (letters.startsWith(syllable.slice(0, k)) && prefixesMatch(syllables, start + 1, letters.slice(k))) { return true; }
  }
  return false;
}

function score(entry, query, letters) {
  let best = 0;
  entry.texts.forEach((text, position) => {
    const weight = position === 0 ? 3 : position === entry.texts.length - 1 ? 1 : 2;
    const full = entry.full[position];
    const syllables = entry.syllables[position];
    let s = 0;
    if (text === query) { s = 100; } else if (text.startsWith(query)) { s = 80; } else if (text.includes(query)) { s = 60; } else if (letters && letters.length === query.length) {
      if (entry.initials[position] === letters) { s = 70; } else if (full.startsWith(letters) || prefixesMatch(syllables, 0, letters)) { s = 50; } else if (syllables.some((_, i) => i > 0 && prefixesMatch(syllables, i, letters))) { s = 30; }
    }
    best = Math.max(best, s * weight);
  });
  return best;
}

export function searchCategories(categories, query, major, limit = 12) {
  const q = (query || "").trim().toLowerCase().replace(/\s+/g, "");
  const letters = q.replace(NOT_LETTERS, "");
  const pool = categories.filter((e) => major == null || e.major === major);
  if (!q) { return major == null ? [] : pool.slice(0, limit); }
  return pool
    .map((e) => [score(e, q, letters), e])
    .filter(([s]) => s > 0)
    .sort((a, b) => b[0] - a[0] || (a[1].code < b[1].code ? -1 : 1))
    .slice(0, limit)
    .map(([, e]) => e);
}
