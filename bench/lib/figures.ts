/**
 * The names of every figure a bench run reports (bench/results/*.json, `figures`), grouped by the
 * parts that measure them (`npm run bench -- --only GROUP,...` runs some groups). Sizes are roles,
 * so a quick run and a full run have the same keys: "small" is 1k customers (quick: 100), "big"
 * 100k (quick: 1k), "huge" 1M in memory (quick: 5k); `meta.sizes` has the actual numbers.
 * A figure is `null` only when it was not reached; `notReached[key]` then says why.
 */

/** A load's req/s (2xx only), p50 and p99: three figures named after the load. */
const loadKeys = <const N extends string>(name: N) => [`${name}Rps`, `${name}P50Ms`, `${name}P99Ms`] as const;

export const FIGURE_GROUPS = {
  seeding: ['seedBigMs'],
  peers: [
    ...loadKeys('baselineSearch'),
    ...loadKeys('prismSearch'),
    'wiremockStartMs',
    ...loadKeys('wiremockColdSearch'),
    ...loadKeys('wiremockSearch'),
    'wiremockRssMb',
    'mockoonStartMs',
    ...loadKeys('mockoonSearch'),
    'mockoonRssMb',
  ],
  file: [
    'firstStartBigFileMs',
    'storeFileBigMB',
    'startupBigFileMs',
    'rssBigFileStartMb',
    ...loadKeys('searchBig'),
    ...loadKeys('searchPhoneBig'),
    ...loadKeys('searchSourceBig'),
    ...loadKeys('searchUncachedBig'),
    ...loadKeys('selectDayBig'),
    ...loadKeys('selectEveryDayBig'),
    'rssBigFileAfterReadsMb',
    'rssBigFilePeakAfterReadsMb',
    ...loadKeys('mixedSearchBig'),
    'mixedAddBigRps',
    'probeSearchBigP50Ms',
    'probeSearchBigP99Ms',
    'probeSearchBigMaxMs',
    'mixedProbeSearchBigP50Ms',
    'mixedProbeSearchBigP99Ms',
    'mixedProbeSearchBigP999Ms',
    'mixedProbeSearchBigMaxMs',
    'mixedProbeAddBigRps',
    'addProbeBigMeanMs',
    'addProbeBigP99Ms',
    ...loadKeys('addFileBig'),
    'rssBigFileAfterAddsMb',
    'rssBigFilePeakMb',
    'customersBigAfterAdds',
    'addProbeSmallMeanMs',
    'addProbeSmallP99Ms',
    ...loadKeys('addFileSmall'),
  ],
  memory: [
    ...loadKeys('addMemoryBig'),
    'rssBigMemoryMb',
    'startupHugeMemoryMs',
    'rssHugeMemoryMb',
    'rssHugeMemoryPeakMb',
    ...loadKeys('selectDayHuge'),
    'selectDayHugeMeanMs',
    'pullFirstPageHugeMeanMs',
    'pullLastPageHugeMeanMs',
  ],
} as const;

/** The groups of parts a run can be limited to (`--only`). */
export type PartGroup = keyof typeof FIGURE_GROUPS;
export const PART_GROUPS = Object.keys(FIGURE_GROUPS) as PartGroup[];

/** A figure some part measures. */
export type MeasuredKey = (typeof FIGURE_GROUPS)[PartGroup][number];

/**
 * Figures worked out from two measured ones once every part has run (`of / over`), so a ratio
 * does not depend on the order of the parts, and one that lacks an input says which and why.
 */
export const RATIOS = {
  searchVsBaseline: { of: 'searchBigRps', over: 'baselineSearchRps', digits: 4 },
  searchVsPrism: { of: 'searchBigRps', over: 'prismSearchRps', digits: 3 },
  searchVsWiremock: { of: 'searchBigRps', over: 'wiremockSearchRps', digits: 3 },
  searchVsWiremockCold: { of: 'searchBigRps', over: 'wiremockColdSearchRps', digits: 3 },
  searchVsMockoon: { of: 'searchBigRps', over: 'mockoonSearchRps', digits: 3 },
  searchPhoneVsBaseline: { of: 'searchPhoneBigRps', over: 'baselineSearchRps', digits: 4 },
  searchSourceVsBaseline: { of: 'searchSourceBigRps', over: 'baselineSearchRps', digits: 4 },
  searchUncachedVsBaseline: { of: 'searchUncachedBigRps', over: 'baselineSearchRps', digits: 4 },
  addFileBigVsSmall: { of: 'addFileBigRps', over: 'addFileSmallRps', digits: 5 },
  // A cost ratio: the small store's mean add latency over the big one's (1 = no growth with size).
  addProbeBigVsSmall: { of: 'addProbeSmallMeanMs', over: 'addProbeBigMeanMs', digits: 5 },
  pullLastVsFirstPage: { of: 'pullLastPageHugeMeanMs', over: 'pullFirstPageHugeMeanMs', digits: 3 },
} as const satisfies Record<string, { of: MeasuredKey; over: MeasuredKey; digits: number }>;

export type RatioKey = keyof typeof RATIOS;
export type FigureKey = MeasuredKey | RatioKey;

export const FIGURE_KEYS: FigureKey[] = [...Object.values(FIGURE_GROUPS).flat(), ...(Object.keys(RATIOS) as RatioKey[])];

/** The loads whose req/s, p50 and p99 are figures (`loadKeys`): what `setLoad` accepts. */
export type LoadName = {
  [K in FigureKey]: K extends `${infer N}Rps` ? (`${N}P50Ms` extends FigureKey ? (`${N}P99Ms` extends FigureKey ? N : never) : never) : never;
}[FigureKey];

export type Figures = Record<FigureKey, number | null>;
export type NotReached = Partial<Record<FigureKey, string>>;

/** Sets every ratio from its two figures; a missing input leaves it null (with that input's reason, if it has one). */
export function deriveRatios(figures: Figures, notReached: NotReached): void {
  for (const [key, { of, over, digits }] of Object.entries(RATIOS) as Array<[RatioKey, (typeof RATIOS)[RatioKey]]>) {
    const a = figures[of];
    const b = figures[over];
    if (a !== null && b !== null && b !== 0) {
      const f = 10 ** digits;
      figures[key] = Math.round((a / b) * f) / f;
      continue;
    }
    figures[key] = null;
    // An input that failed is a harness problem (listed as such), not a figure "not reached".
    const reason = notReached[a === null ? of : over];
    if (reason !== undefined) notReached[key] ??= `needs ${a === null ? of : over}, not reached: ${reason}`;
  }
}
