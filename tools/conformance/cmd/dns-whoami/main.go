// dns-whoami runs for the Pods of the conformance suite's `coredns` Deployment (image
// registry.k8s.io/coredns/coredns), which the test bed cannot run: CoreDNS is a large build, and
// the upstream Corefile forwards every other name to 8.8.8.8 and 9.9.9.9, which must never be
// reached from here. It does what that Corefile's `foo.bar.com` zone does, CoreDNS's `whoami`
// plugin: a query for a name in that zone is answered with the client's address (A or AAAA) and,
// in the additional section, an SRV record carrying the client's port and transport. Every other
// name is REFUSED instead of forwarded.
//
//	dns-whoami [-listen :53] [-zone foo.bar.com.]
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"

	"github.com/miekg/dns"
)

func main() {
	listen := flag.String("listen", ":53", "address to serve DNS on, over UDP and TCP")
	zone := flag.String("zone", "foo.bar.com.", "the zone answered as CoreDNS's whoami plugin does")
	// The container's own arguments (-conf /root/Corefile) are accepted and ignored.
	flag.String("conf", "", "ignored: the CoreDNS configuration file the Pod names")
	flag.Parse()

	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) { answer(w, r, dns.Fqdn(*zone)) })
	errs := make(chan error, 2)
	for _, network := range []string{"udp", "tcp"} {
		server := &dns.Server{Addr: *listen, Net: network, Handler: handler}
		go func() { errs <- fmt.Errorf("serving DNS over %s on %s: %w", network, *listen, server.ListenAndServe()) }()
	}
	log.Printf("dns-whoami: answering %s on %s (udp, tcp); other names are refused", *zone, *listen)
	log.Print(<-errs)
	os.Exit(1)
}

func answer(w dns.ResponseWriter, r *dns.Msg, zone string) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	if len(r.Question) != 1 || !dns.IsSubDomain(zone, strings.ToLower(r.Question[0].Name)) {
		m.SetRcode(r, dns.RcodeRefused)
		_ = w.WriteMsg(m)
		return
	}
	name := r.Question[0].Name
	var ip net.IP
	var port uint16
	transport := "udp"
	switch a := w.RemoteAddr().(type) {
	case *net.UDPAddr:
		ip, port = a.IP, uint16(a.Port)
	case *net.TCPAddr:
		ip, port, transport = a.IP, uint16(a.Port), "tcp"
	}
	header := dns.RR_Header{Name: name, Class: dns.ClassINET, Ttl: 0}
	if v4 := ip.To4(); v4 != nil {
		header.Rrtype = dns.TypeA
		m.Extra = append(m.Extra, &dns.A{Hdr: header, A: v4})
	} else {
		header.Rrtype = dns.TypeAAAA
		m.Extra = append(m.Extra, &dns.AAAA{Hdr: header, AAAA: ip})
	}
	m.Extra = append(m.Extra, &dns.SRV{
		Hdr:    dns.RR_Header{Name: "_" + transport + "." + name, Rrtype: dns.TypeSRV, Class: dns.ClassINET, Ttl: 0},
		Port:   port,
		Target: ".",
	})
	_ = w.WriteMsg(m)
}
