package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The suite dials Gateway addresses. These checks make the test binary refuse to run anywhere but
// inside the network namespace the runner created for it (tools/conformance/run.sh), and only
// while that namespace has no way out: loopback is its one interface and it has no routes.

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

// checkIsolated returns an error unless this process runs in the named network namespace
// (the same check as `ip netns identify`: /proc/self/ns/net and /run/netns/<name> are one inode)
// and that namespace has only the loopback interface and an empty IPv4 and IPv6 routing table.
func checkIsolated(name string) error {
	if name == "" {
		return fmt.Errorf("L4GW_CONFORMANCE_NETNS is not set: run the suite through tools/conformance/run.sh, which creates its network namespace")
	}
	if !strings.HasPrefix(name, "l4cf-") {
		return fmt.Errorf("network namespace %q does not carry the runner's prefix l4cf-", name)
	}
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
	links, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return fmt.Errorf("listing network interfaces: %w", err)
	}
	for _, link := range links {
		if link.Name() != "lo" {
			return fmt.Errorf("network namespace %s has interface %s besides lo", name, link.Name())
		}
	}
	if err := noRoutes("/proc/net/route", 1); err != nil {
		return err
	}
	return noRoutes("/proc/net/ipv6_route", 0)
}

// noRoutes fails if the routing table file has routes not via loopback. /proc/net/route has a
// header line; /proc/net/ipv6_route has none and lists loopback's own ::1 and local routes on lo.
func noRoutes(path string, header int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil // no IPv6 in this kernel
		}
		return fmt.Errorf("reading %s: %w", path, err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for i, line := range lines {
		fields := strings.Fields(line)
		if i < header || len(fields) == 0 {
			continue
		}
		device := fields[0]
		if path != "/proc/net/route" {
			device = fields[len(fields)-1]
		}
		if device != "lo" {
			return fmt.Errorf("%s lists a route on %s: %q", path, device, line)
		}
	}
	return nil
}
