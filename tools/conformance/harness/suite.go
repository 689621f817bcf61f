package harness

import (
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/client/config"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/apis/v1alpha2"
	"sigs.k8s.io/gateway-api/apis/v1alpha3"
	xv1alpha1 "sigs.k8s.io/gateway-api/apisx/v1alpha1"
	upstream "sigs.k8s.io/gateway-api/conformance"
	confv1 "sigs.k8s.io/gateway-api/conformance/apis/v1"
	"sigs.k8s.io/gateway-api/conformance/tests"
	"sigs.k8s.io/gateway-api/conformance/utils/config"
	"sigs.k8s.io/gateway-api/conformance/utils/suite"
	"sigs.k8s.io/gateway-api/pkg/features"
	"sigs.k8s.io/yaml"
)

// Our base manifests replace upstream base/manifests.yaml (whose Gateways have HTTP and HTTPS
// listeners, which l4gw rejects by design); every test's own manifests still come from upstream.
//
//go:embed manifests
var manifests embed.FS

// Environment the runner (tools/conformance/inside.ts) sets.
const (
	envNetns       = "L4GW_CONFORMANCE_NETNS"
	envClass       = "L4GW_CONFORMANCE_GATEWAY_CLASS"
	envOutDir      = "L4GW_CONFORMANCE_OUT"
	envVersion     = "L4GW_CONFORMANCE_IMPLEMENTATION_VERSION"
	envUsable      = "L4GW_CONFORMANCE_USABLE_ADDRESS"
	envUnusable    = "L4GW_CONFORMANCE_UNUSABLE_ADDRESS"
	envExpectation = "L4GW_CONFORMANCE_EXPECTATIONS"
	envURL         = "L4GW_CONFORMANCE_IMPLEMENTATION_URL"
	envContact     = "L4GW_CONFORMANCE_IMPLEMENTATION_CONTACT" // comma-separated
	// envAPISocket is a Unix socket the runner bridges to kube-apiserver, which listens on the
	// node namespace's loopback: this process, in the client namespace, has no network path to it.
	envAPISocket = "L4GW_CONFORMANCE_APISERVER_SOCKET"
)

// profiles are the conformance profiles l4gw is measured against.
var profiles = []suite.ConformanceProfileName{
	suite.GatewayTCPConformanceProfileName,
	suite.GatewayUDPConformanceProfileName,
}

// expectations is tools/conformance/expectations.yaml.
type expectations struct {
	Excluded []struct {
		Test     string `json:"test"`
		Category string `json:"category"`
		Reason   string `json:"reason"`
	} `json:"excluded"`
	// Vacuous tests run and pass; the table says why their passing shows little.
	Vacuous []struct {
		Test   string `json:"test"`
		Reason string `json:"reason"`
	} `json:"vacuous"`
	// KnownFailures run, fail, and are reported as failed; the table says why l4gw fails them.
	// PassesWhileConverging, when set, says why a statistical test can pass in a transient state
	// of the data plane; table.ts reports such a pass without counting it.
	KnownFailures []struct {
		Test                  string `json:"test"`
		Reason                string `json:"reason"`
		PassesWhileConverging string `json:"passesWhileConverging,omitempty"`
	} `json:"knownFailures"`
}

func loadExpectations() (*expectations, error) {
	path := os.Getenv(envExpectation)
	if path == "" {
		path = "expectations.yaml"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var e expectations
	if err := yaml.UnmarshalStrict(data, &e); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	known := map[string]bool{}
	for _, test := range tests.ConformanceTests {
		known[test.ShortName] = true
	}
	for _, x := range e.Excluded {
		if !known[x.Test] || x.Reason == "" || x.Category == "" {
			return nil, fmt.Errorf("%s: excluded test %q is not an upstream test, or has no category or reason", path, x.Test)
		}
	}
	for _, x := range e.KnownFailures {
		if !known[x.Test] || x.Reason == "" {
			return nil, fmt.Errorf("%s: known failure %q is not an upstream test, or has no reason", path, x.Test)
		}
	}
	return &e, nil
}

func (e *expectations) excluded() []string {
	var names []string
	for _, x := range e.Excluded {
		names = append(names, x.Test)
	}
	return names
}

// outcome is what one upstream test did in one phase.
type outcome struct {
	Phase  string `json:"phase"`
	Result string `json:"result"` // passed | failed | skipped
}

// results collects one phase's outcomes, written to results-<phase>.json for the table.
type results struct {
	mu       sync.Mutex
	Outcomes map[string][]outcome `json:"outcomes"`
}

// writeAtEnd writes the phase's results once t and all its (parallel) subtests are done.
func (r *results) writeAtEnd(t *testing.T, phase string) {
	t.Cleanup(func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := writeJSON(filepath.Join(os.Getenv(envOutDir), "results-"+phase+".json"), r); err != nil {
			t.Error(err)
		}
	})
}

func (r *results) hook(phase string) func(*testing.T, suite.ConformanceTest, *suite.ConformanceTestSuite) {
	return func(t *testing.T, test suite.ConformanceTest, _ *suite.ConformanceTestSuite) {
		result := "passed"
		switch {
		case t.Failed():
			result = "failed"
		case t.Skipped():
			result = "skipped"
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.Outcomes[test.ShortName] = append(r.Outcomes[test.ShortName], outcome{Phase: phase, Result: result})
	}
}

var catalogueOnly = flag.Bool("catalogue", false, "only write catalogue.json (every upstream test and its features); needs no cluster")

// Main is the test binary's TestMain: it writes catalogue.json and refuses to run the tests
// outside the test bed's client namespace (netns.go). The Pods of the suite's Deployments are run
// by the test bed (tools/conformance/inside.ts), not here.
func Main(m *testing.M) {
	flag.Parse()
	code, err := mainWithCode(m)
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance: %v\n", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func mainWithCode(m *testing.M) (int, error) {
	outDir := os.Getenv(envOutDir)
	if outDir == "" {
		return 0, fmt.Errorf("%s is not set", envOutDir)
	}
	if err := writeCatalogue(filepath.Join(outDir, "catalogue.json")); err != nil {
		return 0, err
	}
	if *catalogueOnly {
		return 0, nil
	}
	if err := checkIsolated(os.Getenv(envNetns)); err != nil {
		return 0, fmt.Errorf("refusing to run the suite, it dials Gateway addresses: %w", err)
	}
	if _, err := loadExpectations(); err != nil {
		return 0, err
	}
	log.SetLogger(zap.New(zap.WriteTo(os.Stdout), zap.UseDevMode(true)))
	return m.Run(), nil
}

// cluster holds the clients of one phase.
type cluster struct {
	restConfig *rest.Config
	client     client.Client
	clientset  clientset.Interface
}

func connect() (*cluster, error) {
	cfg, err := ctrlconfig.GetConfig()
	if err != nil {
		return nil, fmt.Errorf("loading the kubeconfig: %w", err)
	}
	socket := os.Getenv(envAPISocket)
	if socket == "" {
		return nil, fmt.Errorf("%s is not set: the runner bridges the API server to this namespace through it", envAPISocket)
	}
	// Every connection to the API server goes through the socket; TLS (server name and CA from
	// the kubeconfig) runs over it unchanged.
	cfg.Dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, "unix", socket)
	}
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		return nil, fmt.Errorf("creating a client: %w", err)
	}
	for _, install := range []func(*runtime.Scheme) error{v1alpha3.Install, v1alpha2.Install, xv1alpha1.Install, gatewayv1.Install, apiextensionsv1.AddToScheme} {
		if err := install(c.Scheme()); err != nil {
			return nil, err
		}
	}
	cs, err := clientset.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating a clientset: %w", err)
	}
	return &cluster{restConfig: cfg, client: c, clientset: cs}, nil
}

// phase is what one top-level test needs: the expectations, clients, and its results.
type phase struct {
	name         string
	expectations *expectations
	cluster      *cluster
	results      *results
}

func newPhase(t *testing.T, name string) *phase {
	e, err := loadExpectations()
	if err != nil {
		t.Fatal(err)
	}
	c, err := connect()
	if err != nil {
		t.Fatal(err)
	}
	p := &phase{name: name, expectations: e, cluster: c, results: &results{Outcomes: map[string][]outcome{}}}
	p.results.writeAtEnd(t, name)
	return p
}

// timeouts caps the suite's waits: l4gw's status converges in about a second on this API server,
// so a minute is ample, and a test that fails does not hold the run for three.
func timeouts() config.TimeoutConfig {
	t := config.DefaultTimeoutConfig()
	const limit = time.Minute
	for _, d := range []*time.Duration{
		&t.GatewayMustHaveAddress, &t.GatewayMustHaveCondition, &t.GatewayStatusMustHaveListeners,
		&t.GatewayListenersMustHaveConditions, &t.GWCMustBeAccepted, &t.NamespacesMustBeReady,
		&t.RouteMustHaveParents, &t.DefaultTestTimeout,
	} {
		*d = min(*d, limit)
	}
	return t
}

func (p *phase) options(skip []string) suite.ConformanceOptions {
	var usable, unusable []gatewayv1.GatewaySpecAddress
	ipAddress := gatewayv1.IPAddressType
	if a := os.Getenv(envUsable); a != "" {
		usable = append(usable, gatewayv1.GatewaySpecAddress{Type: &ipAddress, Value: a})
	}
	if a := os.Getenv(envUnusable); a != "" {
		unusable = append(unusable, gatewayv1.GatewaySpecAddress{Type: &ipAddress, Value: a})
	}
	return suite.ConformanceOptions{
		ConfigurableOptions: suite.ConfigurableOptions{
			GatewayClassName: os.Getenv(envClass),
			// No SupportedFeatures: the suite reads them from the GatewayClass's status.supportedFeatures.
			ConformanceProfiles:      profiles,
			SkipTests:                skip,
			Mode:                     "default",
			CleanupBaseResources:     false, // the control plane is thrown away after the run
			CleanupTestResources:     true,
			TimeoutConfig:            timeouts(),
			UsableNetworkAddresses:   usable,
			UnusableNetworkAddresses: unusable,
			Implementation: confv1.Implementation{
				Organization: "l4gw",
				Project:      "l4gw",
				// Left empty unless set: the project has no public address or contact to state yet.
				URL:     os.Getenv(envURL),
				Version: os.Getenv(envVersion),
				Contact: contacts(),
			},
		},
		Client:        p.cluster.client,
		Clientset:     p.cluster.clientset,
		RestConfig:    p.cluster.restConfig,
		BaseManifests: "manifests/base.yaml",
		ManifestFS:    []fs.FS{manifests, &upstream.Manifests},
		Hook:          p.results.hook(p.name),
	}
}

func contacts() []string {
	var list []string
	for _, c := range strings.Split(os.Getenv(envContact), ",") {
		if c = strings.TrimSpace(c); c != "" {
			list = append(list, c)
		}
	}
	return list
}

func newSuite(t *testing.T, opts suite.ConformanceOptions) *suite.ConformanceTestSuite {
	if opts.GatewayClassName == "" {
		t.Fatalf("%s is not set", envClass)
	}
	s, err := suite.NewConformanceTestSuite(opts)
	if err != nil {
		t.Fatalf("creating the conformance suite: %v", err)
	}
	t.Logf("supported features (from the GatewayClass and the profiles): %v", sortedFeatures(s.SupportedFeatures))
	return s
}

func sortedFeatures(set suite.FeaturesSet) []features.FeatureName {
	list := set.UnsortedList()
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	return list
}

// Report is the run the ConformanceReport describes: every upstream test, traffic included,
// except those expectations.yaml excludes.
func Report(t *testing.T) {
	p := newPhase(t, "report")
	s := newSuite(t, p.options(p.expectations.excluded()))
	t.Cleanup(func() {
		report, err := s.Report()
		if err != nil {
			t.Errorf("building the report: %v", err)
			return
		}
		data, err := yaml.Marshal(report)
		if err != nil {
			t.Errorf("encoding the report: %v", err)
			return
		}
		path := filepath.Join(os.Getenv(envOutDir), "conformance-report.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Errorf("writing the report: %v", err)
		}
		t.Logf("ConformanceReport written to %s", path)
	})
	s.Setup(t, tests.ConformanceTests)
	if err := s.Run(t, tests.ConformanceTests); err != nil {
		t.Fatal(err)
	}
}

// catalogueEntry describes one upstream test for the table.
type catalogueEntry struct {
	ShortName   string                 `json:"shortName"`
	Description string                 `json:"description"`
	Features    []features.FeatureName `json:"features"`
	Provisional bool                   `json:"provisional"`
	Profiles    []string               `json:"profiles"` // of our profiles, those the test belongs to
}

func writeCatalogue(path string) error {
	var entries []catalogueEntry
	for _, test := range tests.ConformanceTests {
		entry := catalogueEntry{ShortName: test.ShortName, Description: test.Description, Features: test.Features, Provisional: test.Provisional, Profiles: []string{}}
		for _, name := range profiles {
			if inProfile(name, test.Features) {
				entry.Profiles = append(entry.Profiles, string(name))
			}
		}
		entries = append(entries, entry)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ShortName < entries[j].ShortName })
	return writeJSON(path, entries)
}

// inProfile: every feature the test needs is a core or extended feature of the profile (the
// suite's own rule for which profile report a test result goes to).
func inProfile(name suite.ConformanceProfileName, needs []features.FeatureName) bool {
	var profile suite.ConformanceProfile
	switch name {
	case suite.GatewayTCPConformanceProfileName:
		profile = suite.GatewayTCPConformanceProfile
	case suite.GatewayUDPConformanceProfileName:
		profile = suite.GatewayUDPConformanceProfile
	}
	for _, f := range needs {
		if !profile.CoreFeatures.Has(f) && !profile.ExtendedFeatures.Has(f) {
			return false
		}
	}
	return true
}

func writeJSON(path string, value any) error {
	data, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
