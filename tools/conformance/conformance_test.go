// The conformance test binary at the Gateway API version this module requires (go.mod). The work
// is in ./harness, a plain package, so that a module for another suite version needs only a
// go.mod and this file.
package conformance

import (
	"testing"

	"l4gw.invalid/tools/conformance/harness"
)

func TestMain(m *testing.M) { harness.Main(m) }

func TestConformance(t *testing.T) { harness.Report(t) }

func TestL4Variants(t *testing.T) { harness.L4Variants(t) }
