import type { BucketList, Listing, Verification } from "../model/results.js";
import { formatBytes, formatLocal } from "./format.js";

export const verificationJson = (v: Verification) => ({ credential: v.credential, type: v.type, source: v.source, valid: v.valid, error: v.error, excerpt: v.excerpt });

/** `credential NAME (TYPE, from FILE): OK` or `…: FAILED — why`. */
export function verificationLine(v: Verification, configName: string): string {
  const label = `credential ${v.credential} (${v.type}, ${v.source === "file" ? `from ${configName}` : "as applied"})`;
  return v.valid ? `${label}: OK` : `${label}: FAILED — ${v.error}`;
}

export function renderBuckets(list: BucketList): string {
  if (list.buckets.length === 0) return `${list.credential} has no buckets. cloudsync buckets create ${list.credential} NAME creates one.`;
  const width = Math.max(...list.buckets.map((b) => b.name.length));
  return list.buckets.map((b) => `${b.name.padEnd(width)}  ${b.created ? `created ${formatLocal(new Date(b.created), null)}` : ""}`.trimEnd()).join("\n");
}

/** `ls --json`, and the dashboard's folder browser. */
export const listingJson = (listing: Listing) => ({ location: listing.location, entries: listing.entries.map((e) => ({ name: e.name, path: e.path, is_dir: e.is_dir, size: e.size, modified: e.modified })) });

export function renderListing(listing: Listing): string {
  if (listing.entries.length === 0) return `${listing.location} is empty.`;
  const sizes = listing.entries.map((e) => (e.is_dir ? "-" : formatBytes(e.size ?? 0)));
  const width = Math.max(...sizes.map((s) => s.length));
  return listing.entries.map((e, i) => `${sizes[i]!.padStart(width)}  ${e.modified ? formatLocal(new Date(e.modified), null) : "-".padEnd(16)}  ${e.name}${e.is_dir ? "/" : ""}`).join("\n");
}

/** rclone's own last lines, shown with -v. */
export const rcloneSaid = (excerpt: readonly string[]) => (excerpt.length > 0 ? `rclone said:\n  ${excerpt.join("\n  ")}` : undefined);
