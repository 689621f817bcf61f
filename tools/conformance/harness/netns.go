package harness

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// The suite dials Gateway addresses. These checks make the test binary refuse to run anywhere but
// in the client namespace of the data-plane test bed that tools/conformance/run.sh started
// (packages/dataplane: namespaces l4dp-<owner>-node, -client, -backend and -pod<n>), and only
// while no packet can leave the test bed from there:
//   - this process is in network namespace l4dp-<owner>-client (same inode as /run/netns/<name>);
//   - its interfaces are loopback and veths whose other end is in l4dp-<owner>-node;
//   - it has no default route, and every route it has leads into the test bed's own prefixes;
//   - the node namespace, its one next hop, has no default route and no route outside those
//     prefixes either, and its interfaces are loopback and veths whose other ends are in
//     namespaces of the same test bed.
// So a packet for any address outside the test bed has no route in the client, and none in the node.

var clientNamespace = regexp.MustCompile(`^l4dp-(\d+)-client$`)

// testbedPrefixes are where the client namespace may have routes (packages/dataplane/src/topology.ts):
// the test-bed links and pods, the routed VIP range, the Service CIDR, loopback, and IPv6
// link-local and multicast (which the kernel adds to every interface and which reach only the link).
var testbedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.99.0.0/16"),
	netip.MustParsePrefix("10.77.0.0/24"),
	netip.MustParsePrefix("10.0.0.0/24"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

func inode(path string) (dev, ino uint64, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	stat, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, fmt.Errorf("no stat data for %s", path)
	}
	return uint64(stat.Dev), stat.Ino, nil
}

// ipJSON runs `ip -j [-n namespace] args…` and decodes its output.
func ipJSON(namespace string, into any, args ...string) error {
	full := []string{"-j"}
	if namespace != "" {
		full = append(full, "-n", namespace)
	}
	full = append(full, args...)
	out, err := exec.Command("ip", full...).Output()
	if err != nil {
		return fmt.Errorf("ip %v: %w", full, err)
	}
	if len(out) == 0 {
		out = []byte("[]")
	}
	if err := json.Unmarshal(out, into); err != nil {
		return fmt.Errorf("decoding the output of ip %v: %w", full, err)
	}
	return nil
}

type link struct {
	Name     string `json:"ifname"`
	NetnsID  *int   `json:"link_netnsid"`
	LinkInfo struct {
		Kind string `json:"info_kind"`
	} `json:"linkinfo"`
}

type route struct {
	Dst string `json:"dst"`
	Dev string `json:"dev"`
}

// peersOf checks that every interface of `namespace` ("" for this process's own) is loopback or
// a veth whose other end is in a namespace `allowed` accepts, and returns those namespaces.
func peersOf(namespace string, allowed func(string) bool) error {
	var links []link
	if err := ipJSON(namespace, &links, "-d", "link", "show"); err != nil {
		return err
	}
	var ids []struct {
		NSID int    `json:"nsid"`
		Name string `json:"name"`
	}
	if err := ipJSON(namespace, &ids, "netns", "list-id"); err != nil {
		return err
	}
	names := map[int]string{}
	for _, id := range ids {
		names[id.NSID] = id.Name
	}
	where := namespace
	if where == "" {
		where = "this namespace"
	}
	for _, l := range links {
		if l.Name == "lo" {
			continue
		}
		if l.LinkInfo.Kind != "veth" || l.NetnsID == nil {
			return fmt.Errorf("%s has interface %s (%q), not a veth into the test bed", where, l.Name, l.LinkInfo.Kind)
		}
		peer := names[*l.NetnsID]
		if !allowed(peer) {
			return fmt.Errorf("%s: the other end of veth %s is in network namespace %q, not in the test bed", where, l.Name, peer)
		}
	}
	return nil
}

// routes lists every IPv4 and IPv6 route of `namespace` ("" for this process's own), all tables.
func routes(namespace string) ([]route, error) {
	var all []route
	for _, family := range []string{"-4", "-6"} {
		var list []route
		if err := ipJSON(namespace, &list, family, "route", "show", "table", "all"); err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	return all, nil
}

// insideTestbed: the route's destination lies within one of testbedPrefixes.
func insideTestbed(dst string) bool {
	prefix, err := netip.ParsePrefix(dst)
	if err != nil {
		addr, err := netip.ParseAddr(dst)
		if err != nil {
			return false
		}
		prefix = netip.PrefixFrom(addr, addr.BitLen())
	}
	for _, p := range testbedPrefixes {
		if p.Bits() <= prefix.Bits() && p.Contains(prefix.Addr()) {
			return true
		}
	}
	return false
}

// checkIsolated returns an error unless this process runs in `name`, a test bed's client
// namespace, and no packet can leave that test bed from it (see the top of this file).
func checkIsolated(name string) error {
	if name == "" {
		return fmt.Errorf("L4GW_CONFORMANCE_NETNS is not set: run the suite through tools/conformance/run.sh, which starts the test bed")
	}
	match := clientNamespace.FindStringSubmatch(name)
	if match == nil {
		return fmt.Errorf("network namespace %q is not a data-plane test bed's client namespace (l4dp-<owner>-client)", name)
	}
	node := fmt.Sprintf("l4dp-%s-node", match[1])
	ownPrefix := fmt.Sprintf("l4dp-%s-", match[1])
	selfDev, selfIno, err := inode("/proc/self/ns/net")
	if err != nil {
		return fmt.Errorf("reading this process's network namespace: %w", err)
	}
	dev, ino, err := inode(filepath.Join("/run/netns", name))
	if err != nil {
		return fmt.Errorf("network namespace %s: %w", name, err)
	}
	if selfDev != dev || selfIno != ino {
		return fmt.Errorf("this process is not inside network namespace %s", name)
	}
	if err := peersOf("", func(peer string) bool { return peer == node }); err != nil {
		return err
	}
	if err := routesStayInside("", name); err != nil {
		return err
	}
	if err := peersOf(node, func(peer string) bool { return strings.HasPrefix(peer, ownPrefix) }); err != nil {
		return err
	}
	return routesStayInside(node, node)
}

// routesStayInside: `namespace` ("" for this process's own, called `where`) has no default route
// and no route to anything outside testbedPrefixes.
func routesStayInside(namespace, where string) error {
	list, err := routes(namespace)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Dst == "default" {
			return fmt.Errorf("%s has a default route (dev %s)", where, r.Dev)
		}
		if !insideTestbed(r.Dst) {
			return fmt.Errorf("%s has a route to %s (dev %s), outside the test bed", where, r.Dst, r.Dev)
		}
	}
	return nil
}
