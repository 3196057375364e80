/**
 * Which IP addresses the asset fetcher may connect to. An address that is not on the public
 * internet (this machine, the LAN, the cloud's metadata service, a carrier's NAT) is refused,
 * so a recorded page cannot make our server reach inside the network it runs in (SSRF).
 */
import { BlockList, isIP } from 'node:net';

/** [network, prefix length] of every IPv4 range that is not a public unicast address. */
const IPV4_RANGES: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included: Linux connects it to this machine
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, home of cloud metadata services (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking, used inside some networks
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, 255.255.255.255 (broadcast) included
];

const IPV6_RANGES: readonly (readonly [string, number])[] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible forms
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed by some stacks)
  ['ff00::', 8], // multicast
];

/**
 * Prefixes that carry an IPv4 address in their last 32 bits: IPv4-mapped (`::ffff:a.b.c.d`,
 * which a dual-stack socket connects as IPv4) and NAT64 (`64:ff9b::a.b.c.d`, which a NAT64
 * gateway forwards to IPv4). Each IPv4 range is blocked again under each prefix: newer Node
 * versions match mapped addresses against IPv4 rules by themselves, but that is not documented.
 */
const IPV4_CARRIERS = ['::ffff:', '64:ff9b::'] as const;

const blocked = new BlockList();
for (const [network, prefix] of IPV4_RANGES) {
  blocked.addSubnet(network, prefix, 'ipv4');
  for (const carrier of IPV4_CARRIERS) blocked.addSubnet(carrier + network, 96 + prefix, 'ipv6');
}
for (const [network, prefix] of IPV6_RANGES) blocked.addSubnet(network, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
loopback.addAddress('::1', 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** True unless `address` is a public unicast IP address; anything that is not an IP is blocked. */
export function isBlockedAddress(address: string): boolean {
  const kind = family(address);
  return kind === undefined || blocked.check(address, kind);
}

/** True if `address` is this machine's loopback (127/8, ::1, or 127/8 mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const kind = family(address);
  return kind !== undefined && loopback.check(address, kind);
}
