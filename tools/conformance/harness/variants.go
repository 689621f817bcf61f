package harness

import (
	"context"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/conformance/utils/kubernetes"
	"sigs.k8s.io/gateway-api/conformance/utils/suite"
	"sigs.k8s.io/gateway-api/pkg/features"
)

// l4Variants are the project's own tests, not upstream conformance: upstream tests that l4gw
// cannot pass only because their Gateways have HTTP listeners, redone with TCP/UDP listeners and
// the suite's own helpers. Their results appear in the table apart from the upstream tests and
// in no ConformanceReport.
var l4Variants = []suite.ConformanceTest{
	{
		ShortName:   "L4GatewayObservedGenerationBump",
		Description: "as upstream GatewayObservedGenerationBump, with TCP listeners: adding a listener bumps every condition's observedGeneration",
		Features:    []features.FeatureName{features.SupportGateway},
		Manifests:   []string{"manifests/l4/gateway-observed-generation-bump.yaml"},
		Test:        observedGenerationBump,
	},
	{
		ShortName:   "L4GatewayStaticAddresses",
		Description: "as upstream GatewayStaticAddresses, with a TCP listener: an unsupported address type, then an unusable address, then a usable one",
		Features:    []features.FeatureName{features.SupportGateway, features.SupportGatewayStaticAddresses},
		Manifests:   []string{"manifests/l4/gateway-static-addresses.yaml"},
		Test:        staticAddresses,
	},
	{
		ShortName:   "L4TCPRouteInvalidNonTCPListener",
		Description: "as upstream TCPRouteInvalidNonTCPListener, with a UDP listener as the non-TCP one beside a TCP listener",
		Features:    []features.FeatureName{features.SupportGateway, features.SupportTCPRoute, features.SupportUDPRoute},
		Manifests:   []string{"manifests/l4/tcproute-udp-listener.yaml"},
		Test:        tcpRouteOnUDPListener,
	},
}

func getGateway(t *testing.T, s *suite.ConformanceTestSuite, nn types.NamespacedName) *gatewayv1.Gateway {
	t.Helper()
	gw := &gatewayv1.Gateway{}
	if err := s.Client.Get(context.Background(), nn, gw); err != nil {
		t.Fatalf("getting Gateway %s: %v", nn, err)
	}
	return gw
}

func patchGateway(t *testing.T, s *suite.ConformanceTestSuite, before, after *gatewayv1.Gateway) {
	t.Helper()
	if err := s.Client.Patch(context.Background(), after, client.MergeFrom(before)); err != nil {
		t.Fatalf("patching Gateway %s/%s: %v", before.Namespace, before.Name, err)
	}
}

func mustHave(t *testing.T, s *suite.ConformanceTestSuite, nn types.NamespacedName, conditionType, status, reason string) {
	t.Helper()
	kubernetes.GatewayMustHaveCondition(t, s.Client, s.TimeoutConfig, nn, metav1.Condition{
		Type: conditionType, Status: metav1.ConditionStatus(status), Reason: reason,
	})
}

func observedGenerationBump(t *testing.T, s *suite.ConformanceTestSuite) {
	nn := types.NamespacedName{Name: "l4-observed-generation-bump", Namespace: suite.InfrastructureNamespace}
	namespaces := []string{suite.InfrastructureNamespace}
	kubernetes.NamespacesMustBeReady(t, s.Client, s.TimeoutConfig, namespaces)
	kubernetes.GatewayMustHaveLatestConditions(t, s.Client, s.TimeoutConfig, nn)

	before := getGateway(t, s, nn)
	after := before.DeepCopy()
	after.Spec.Listeners = append(after.Spec.Listeners, gatewayv1.Listener{Name: "alternate", Port: 7011, Protocol: gatewayv1.TCPProtocolType})
	patchGateway(t, s, before, after)

	kubernetes.NamespacesMustBeReady(t, s.Client, s.TimeoutConfig, namespaces)
	kubernetes.GatewayMustHaveLatestConditions(t, s.Client, s.TimeoutConfig, nn)
	if updated := getGateway(t, s, nn); updated.Generation == before.Generation {
		t.Fatalf("Gateway %s: generation stayed %d after adding a listener", nn, before.Generation)
	}
}

// removeAddress patches one entry out of the Gateway's spec.addresses and waits until l4gw has
// written conditions for the new generation.
func removeAddress(t *testing.T, s *suite.ConformanceTestSuite, nn types.NamespacedName, drop gatewayv1.GatewaySpecAddress) {
	t.Helper()
	gw := getGateway(t, s, nn)
	next := gw.DeepCopy()
	next.Spec.Addresses = nil
	for _, a := range gw.Spec.Addresses {
		if a.Value != drop.Value {
			next.Spec.Addresses = append(next.Spec.Addresses, a)
		}
	}
	patchGateway(t, s, gw, next)
	kubernetes.GatewayMustHaveLatestConditions(t, s.Client, s.TimeoutConfig, nn)
}

func staticAddresses(t *testing.T, s *suite.ConformanceTestSuite) {
	nn := types.NamespacedName{Name: "l4-static-addresses", Namespace: suite.InfrastructureNamespace}
	kubernetes.GatewayMustHaveLatestConditions(t, s.Client, s.TimeoutConfig, nn)
	gw := getGateway(t, s, nn)
	if len(gw.Spec.Addresses) != 3 {
		t.Fatalf("Gateway %s: want 3 spec addresses (fake type, unusable, usable), got %d: is a usable and an unusable address configured?", nn, len(gw.Spec.Addresses))
	}
	fake, unusable, usable := gw.Spec.Addresses[0], gw.Spec.Addresses[1], gw.Spec.Addresses[2]
	accepted, programmed := string(gatewayv1.GatewayConditionAccepted), string(gatewayv1.GatewayConditionProgrammed)

	mustHave(t, s, nn, accepted, "False", string(gatewayv1.GatewayReasonUnsupportedAddress))

	removeAddress(t, s, nn, fake)
	mustHave(t, s, nn, accepted, "True", string(gatewayv1.GatewayReasonAccepted))
	mustHave(t, s, nn, programmed, "False", string(gatewayv1.GatewayReasonAddressNotUsable))

	removeAddress(t, s, nn, unusable)
	mustHave(t, s, nn, accepted, "True", string(gatewayv1.GatewayReasonAccepted))
	mustHave(t, s, nn, programmed, "True", string(gatewayv1.GatewayReasonProgrammed))

	gw = getGateway(t, s, nn)
	if len(gw.Status.Addresses) != 1 || gw.Status.Addresses[0].Value != usable.Value {
		t.Fatalf("Gateway %s: want status.addresses [%s], got %v", nn, usable.Value, gw.Status.Addresses)
	}
}

func tcpRouteOnUDPListener(t *testing.T, s *suite.ConformanceTestSuite) {
	gwNN := types.NamespacedName{Name: "l4-tcp-and-udp", Namespace: suite.InfrastructureNamespace}
	routeNN := types.NamespacedName{Name: "l4-tcproute-to-udp-listener", Namespace: suite.InfrastructureNamespace}
	kubernetes.NamespacesMustBeReady(t, s.Client, s.TimeoutConfig, []string{suite.InfrastructureNamespace})

	group, kind := gatewayv1.Group(gatewayv1.GroupName), gatewayv1.Kind("Gateway")
	namespace, section := gatewayv1.Namespace(gwNN.Namespace), gatewayv1.SectionName("udp")
	kubernetes.TCPRouteMustHaveParents(t, s.Client, s.TimeoutConfig, routeNN, []gatewayv1.RouteParentStatus{{
		ParentRef:      gatewayv1.ParentReference{Group: &group, Kind: &kind, Name: gatewayv1.ObjectName(gwNN.Name), Namespace: &namespace, SectionName: &section},
		ControllerName: gatewayv1.GatewayController(s.ControllerName),
		Conditions: []metav1.Condition{{
			Type: string(gatewayv1.RouteConditionAccepted), Status: metav1.ConditionFalse, Reason: string(gatewayv1.RouteReasonNotAllowedByListeners),
		}},
	}}, false) // as upstream: the parentRef namespace may stay unset

	for _, listener := range getGateway(t, s, gwNN).Status.Listeners {
		if listener.AttachedRoutes != 0 {
			t.Errorf("Gateway %s listener %s: attachedRoutes %d, want 0", gwNN, listener.Name, listener.AttachedRoutes)
		}
	}
}

// L4Variants runs l4Variants and listenerSetVariants through the suite (same setup, same helpers, same timeouts).
func L4Variants(t *testing.T) {
	s := newSuite(t, newPhase(t, "l4-variants").options(nil))
	tests := slices.Concat(l4Variants, listenerSetVariants)
	s.Setup(t, tests)
	if err := s.Run(t, tests); err != nil {
		t.Fatal(err)
	}
}
