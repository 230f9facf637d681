/**
 * Votes for `election: majority`: each agent grants at most one candidate
 * per term, and a candidate needs a majority of all agents (itself included)
 * for its term. Two coordinators of one term would need two majorities, and
 * majorities overlap in some agent that voted only once. The agent keeps its
 * latest term and vote on disk (synced before the vote is sent), so a
 * restart does not let it vote twice in a term.
 */
export class CoordinatorBallot {
  private readonly votedFor = new Map<number, number>();
  private campaign: { term: number; votes: Set<number> } | null = null;

  constructor(private readonly agentCount: number, private readonly self: number) {}

  /** The vote this agent cast before a restart (read from its disk): it must not vote otherwise in that term. */
  restore(term: number, votedFor: number): void {
    if (votedFor >= 0) this.votedFor.set(term, votedFor);
  }

  get campaigning(): boolean {
    return this.campaign !== null;
  }

  /** Starts campaigning for `term` with our own vote; true if that alone is a majority. */
  start(term: number): boolean {
    this.votedFor.set(term, this.self);
    this.campaign = { term, votes: new Set([this.self]) };
    return this.won();
  }

  /** A vote arrived; true if it completes a majority for the term we campaign in. */
  counted(term: number, from: number): boolean {
    if (this.campaign?.term !== term) return false;
    this.campaign.votes.add(from);
    return this.won();
  }

  /** The campaign for `term` is over (won, or its time ran out). */
  end(term: number): void {
    if (this.campaign?.term === term) this.campaign = null;
  }

  /** Whom this agent voted for in `term`, or -1. */
  votedIn(term: number): number {
    return this.votedFor.get(term) ?? -1;
  }

  /** Whether we may vote for `candidate` in `term` (once per term); records the vote. */
  grant(term: number, candidate: number): boolean {
    const prior = this.votedFor.get(term);
    if (prior !== undefined && prior !== candidate) return false;
    this.votedFor.set(term, candidate);
    return true;
  }

  private won(): boolean {
    return this.campaign !== null && this.campaign.votes.size * 2 > this.agentCount;
  }
}
