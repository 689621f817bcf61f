package harness

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/gateway-api/conformance/utils/kubernetes"
	"sigs.k8s.io/gateway-api/conformance/utils/suite"
	"sigs.k8s.io/gateway-api/pkg/features"
)

// The project's L4 versions of upstream ListenerSet tests: every upstream one puts HTTP, HTTPS or
// TLS listeners on its Gateway and needs that Gateway Accepted. These keep the upstream
// assertions (the same helpers, conditions and counts) with TCP and UDP listeners.
var listenerSetVariants = []suite.ConformanceTest{
	{
		ShortName:   "L4ListenerSetAllowedNamespaceSame",
		Description: "as upstream ListenerSetAllowedNamespaceSame, with TCP and UDP listeners: a ListenerSet in the Gateway's namespace is accepted, one in another namespace is NotAllowed",
		Features:    []features.FeatureName{features.SupportGateway, features.SupportListenerSet},
		Manifests:   []string{"manifests/l4/listenerset-allowed-namespace-same.yaml"},
		Test:        listenerSetAllowedNamespaceSame,
	},
	{
		ShortName:   "L4ListenerSetProtocolConflict",
		Description: "as upstream ListenerSetProtocolConflict, with TCP and UDP listeners: a later listener on a taken protocol and port is Conflicted, never the Gateway's own; a set with no listener left is not accepted",
		Features:    []features.FeatureName{features.SupportGateway, features.SupportListenerSet},
		Manifests:   []string{"manifests/l4/listenerset-protocol-conflict.yaml"},
		Test:        listenerSetProtocolConflict,
	},
}

// acceptedListener is what upstream's generateAcceptedListenerConditions asks of a listener.
func acceptedListener() []metav1.Condition {
	conditions := []metav1.Condition{}
	for _, conditionType := range []gatewayv1.ListenerConditionType{gatewayv1.ListenerConditionResolvedRefs, gatewayv1.ListenerConditionAccepted, gatewayv1.ListenerConditionProgrammed} {
		conditions = append(conditions, metav1.Condition{Type: string(conditionType), Status: metav1.ConditionTrue})
	}
	return conditions
}

// conflictedListener is upstream's protocolConflictedListenerConditions.
func conflictedListener() []metav1.Condition {
	reason := string(gatewayv1.ListenerReasonProtocolConflict)
	return []metav1.Condition{
		{Type: string(gatewayv1.ListenerConditionAccepted), Status: metav1.ConditionFalse, Reason: reason},
		{Type: string(gatewayv1.ListenerConditionProgrammed), Status: metav1.ConditionFalse, Reason: reason},
		{Type: string(gatewayv1.ListenerConditionConflicted), Status: metav1.ConditionTrue, Reason: reason},
	}
}

// listenerSetMustBe checks a ListenerSet's Accepted and Programmed conditions; an empty reason
// accepts any.
func listenerSetMustBe(t *testing.T, s *suite.ConformanceTestSuite, nn types.NamespacedName, status metav1.ConditionStatus, acceptedReason, programmedReason gatewayv1.ListenerSetConditionReason) {
	t.Helper()
	kubernetes.ListenerSetMustHaveCondition(t, s.Client, s.TimeoutConfig, nn, metav1.Condition{Type: string(gatewayv1.ListenerSetConditionAccepted), Status: status, Reason: string(acceptedReason)})
	kubernetes.ListenerSetMustHaveCondition(t, s.Client, s.TimeoutConfig, nn, metav1.Condition{Type: string(gatewayv1.ListenerSetConditionProgrammed), Status: status, Reason: string(programmedReason)})
}

func gatewayMustBeAccepted(t *testing.T, s *suite.ConformanceTestSuite, nn types.NamespacedName) {
	t.Helper()
	kubernetes.GatewayMustHaveCondition(t, s.Client, s.TimeoutConfig, nn, metav1.Condition{Type: string(gatewayv1.GatewayConditionAccepted), Status: metav1.ConditionTrue})
}

func listenerSetAllowedNamespaceSame(t *testing.T, s *suite.ConformanceTestSuite) {
	ns := suite.InfrastructureNamespace
	kubernetes.NamespacesMustBeReady(t, s.Client, s.TimeoutConfig, []string{ns})
	gwNN := types.NamespacedName{Name: "l4-ls-allows-same-namespace", Namespace: ns}
	gatewayMustBeAccepted(t, s, gwNN)
	kubernetes.GatewayMustHaveAttachedListeners(t, s.Client, s.TimeoutConfig, gwNN, 1)

	lsNN := types.NamespacedName{Name: "l4-ls-in-same-namespace", Namespace: ns}
	listenerSetMustBe(t, s, lsNN, metav1.ConditionTrue, gatewayv1.ListenerSetReasonAccepted, gatewayv1.ListenerSetReasonProgrammed)
	kubernetes.ListenerSetListenersMustHaveConditions(t, s.Client, s.TimeoutConfig, lsNN, acceptedListener(), "same-namespace-tcp", "same-namespace-udp")

	refusedNN := types.NamespacedName{Name: "l4-ls-in-different-namespace", Namespace: "l4-ls-not-allowed-ns"}
	listenerSetMustBe(t, s, refusedNN, metav1.ConditionFalse, gatewayv1.ListenerSetReasonNotAllowed, gatewayv1.ListenerSetReasonNotAllowed)
}

func listenerSetProtocolConflict(t *testing.T, s *suite.ConformanceTestSuite) {
	ns := suite.InfrastructureNamespace
	kubernetes.NamespacesMustBeReady(t, s.Client, s.TimeoutConfig, []string{ns})
	gwNN := types.NamespacedName{Name: "l4-ls-conflict", Namespace: ns}
	gatewayMustBeAccepted(t, s, gwNN)
	kubernetes.GatewayListenersMustHaveConditions(t, s.Client, s.TimeoutConfig, gwNN, acceptedListener(), "gateway-listener")
	kubernetes.GatewayMustHaveAttachedListeners(t, s.Client, s.TimeoutConfig, gwNN, 1)

	firstNN := types.NamespacedName{Name: "l4-ls-conflict-1", Namespace: ns}
	listenerSetMustBe(t, s, firstNN, metav1.ConditionTrue, "", gatewayv1.ListenerSetReasonProgrammed)
	kubernetes.ListenerSetListenersMustHaveConditions(t, s.Client, s.TimeoutConfig, firstNN, acceptedListener(), "udp-beside-gateway-listener", "first-on-7032")
	kubernetes.ListenerSetListenersMustHaveConditions(t, s.Client, s.TimeoutConfig, firstNN, conflictedListener(), "conflict-with-gateway-listener")

	secondNN := types.NamespacedName{Name: "l4-ls-conflict-2", Namespace: ns}
	listenerSetMustBe(t, s, secondNN, metav1.ConditionFalse, gatewayv1.ListenerSetReasonListenersNotValid, gatewayv1.ListenerSetReasonListenersNotValid)
	kubernetes.ListenerSetListenersMustHaveConditions(t, s.Client, s.TimeoutConfig, secondNN, conflictedListener(), "conflict-with-listener-set-listener")
}
