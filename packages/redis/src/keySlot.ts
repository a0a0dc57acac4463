// Redis Cluster's key → hash slot rule (CRC16/XMODEM of the hash tag or the whole key, mod 16384),
// computed here so that cross-slot transactions are refused before anything is sent, and so that
// a lease key can be put in the same slot as its entry key.

/** The number of hash slots of a Redis Cluster. */
export const SLOTS = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}

const encoder = new TextEncoder();

/**
 * The hash slot of a Redis key: the CRC16 of its hash tag (the bytes between the first `{` and
 * the next `}`, when not empty) or of the whole key, mod 16384; as `CLUSTER KEYSLOT` answers.
 * Use it with `map.entryKey(k)` to check that a transaction's keys share a slot.
 *
 * @example
 * keySlot('{user:42}:cart') === keySlot('{user:42}:profile'); // true: one hash tag, one slot
 * keySlot(map.entryKey('a')); // the slot of key 'a' of `map`
 */
export function keySlot(key: string): number {
  const bytes = encoder.encode(key);
  const open = bytes.indexOf(0x7b);
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOTS;
  }
  return crc16(bytes, 0, bytes.length) % SLOTS;
}

let tags: string[] | undefined;

/**
 * A short string whose hash slot is `slot`: `{tag}` in a key puts the key in that slot. Built once
 * (about 170,000 CRCs of short strings, a few milliseconds).
 */
export function slotTag(slot: number): string {
  if (tags === undefined) {
    const table: string[] = new Array(SLOTS);
    let found = 0;
    for (let n = 0; found < SLOTS; n++) {
      const tag = n.toString(36);
      const bytes = encoder.encode(tag);
      const s = crc16(bytes, 0, bytes.length) % SLOTS;
      if (table[s] === undefined) {
        table[s] = tag;
        found++;
      }
    }
    tags = table;
  }
  return tags[slot] as string;
}
