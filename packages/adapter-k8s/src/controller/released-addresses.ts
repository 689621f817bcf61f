// IP8: an address a Gateway gave up is not handed to another Gateway at once. kube-proxy applies
// Service changes in batches (at most one sync per second by default) and an announcer takes a
// moment to withdraw a VIP, so for a short while after the old Service is deleted its rules can
// still answer on the address. A Gateway that got the address in that window would have its first
// connections served by the old Gateway's backends. The operator therefore remembers, for a few
// seconds, which addresses were released, and core's IPAM hands out other addresses meanwhile
// (Snapshot.heldBackAddresses). The memory is the operator's own, explicit and per cluster; a
// restart forgets it, which costs at most one such window.

/** What the reconciler tells it and asks it, once per run. */
export class ReleasedAddresses {
  /** Addresses Gateways held at the last run. */
  private held: ReadonlySet<string> = new Set();
  /** The last run's `desired.addresses`, to skip the comparison when core hands back the same list. */
  private lastAddresses: readonly unknown[] | undefined;
  /** Released address → when it may be handed out again (ms since the epoch). */
  private readonly until = new Map<string, number>();
  private current: readonly string[] = [];
  /** `until` changed since `current` was built. */
  private changed = false;

  constructor(private readonly holdMs: number) {}

  /**
   * The addresses IPAM must not hand out fresh at `nowMs`, sorted; the same array instance while
   * they stay the same, so core's memory of the address assignment still applies.
   */
  heldBack(nowMs: number): readonly string[] {
    for (const [address, until] of this.until) {
      if (until <= nowMs) {
        this.until.delete(address);
        this.changed = true;
      }
    }
    if (this.changed) this.current = [...this.until.keys()].sort();
    this.changed = false;
    return this.current;
  }

  /** After a run: every address held before and not now was released at `nowMs`. */
  observe(addresses: readonly { readonly address: string }[], nowMs: number): void {
    if (addresses === this.lastAddresses) return;
    this.lastAddresses = addresses;
    const now = new Set(addresses.map((entry) => entry.address));
    if (this.holdMs > 0) {
      for (const address of this.held) {
        if (now.has(address)) continue;
        this.until.set(address, nowMs + this.holdMs);
        this.changed = true;
      }
    }
    // An address held again (the same Gateway re-created with it pinned, say) needs no holding back.
    for (const address of now) if (this.until.delete(address)) this.changed = true;
    this.held = now;
  }

  /** When the next held-back address is free again (ms since the epoch); undefined when none is. */
  nextRelease(): number | undefined {
    let next: number | undefined;
    for (const until of this.until.values()) if (next === undefined || until < next) next = until;
    return next;
  }
}
