import type { Paper } from '../papers/paper.js';

/** A paper chosen for one subscriber's digest, with why it was chosen. */
export interface RankedPaper {
  paper: Paper;
  /** Final score after diversification; higher ranks first. */
  score: number;
  /** One short line for the email: "matches: multi-agent, reinforcement learning". */
  why: string;
}

export interface Selection {
  papers: RankedPaper[];
  /** Set when `papers` is empty: why nothing was chosen, in words for an operator. */
  emptyReason?: string;
}
