// The server counts Unicode code points (Python string indices); the DOM counts UTF-16
// code units. Characters outside the Basic Multilingual Plane (emoji, some CJK) are two
// code units but one code point, so every offset crossing the boundary is converted here.

import { partitionPoint } from "./search.js";

const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

// Number of items in the ascending array `sorted` that are < value.
function countBelow(sorted, value) {
  return partitionPoint(sorted, (item) => item < value);
}

export class OffsetMap {
  constructor(text) {
    this.text = text;
    // UTF-16 index of every surrogate pair's first unit. For text without astral
    // characters (most articles) both conversions are the identity.
    const pairs = [];
    for (let i = 0; i < text.length - 1; i++) {
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        pairs.push(i);
        i++;
      }
    }
    this.pairs = pairs;
    // pairs[k] - k is the code point index of pair k: strictly increasing.
    this.pairCodePoints = pairs.map((unit, k) => unit - k);
    this.length = text.length - pairs.length;
  }

  toCodePoint(unit) {
    return unit - countBelow(this.pairs, unit);
  }

  toUtf16(codePoint) {
    return codePoint + countBelow(this.pairCodePoints, codePoint);
  }
}

// Never let a boundary fall between the two halves of a surrogate pair: move it outwards.
export function snapOutwards(text, start, end) {
  if (start > 0 && isLow(text.charCodeAt(start)) && isHigh(text.charCodeAt(start - 1))) start -= 1;
  if (end > 0 && end < text.length && isHigh(text.charCodeAt(end - 1)) && isLow(text.charCodeAt(end))) end += 1;
  return [start, end];
}

// Like doccano: a selection's leading and trailing white space (spaces, newlines, no-break
// spaces) is not part of the span.
const SPACE = /\s/u;
export function trimWhitespace(text, start, end) {
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return [start, end];
}
