package harness

import (
	"context"
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
)

// The test API server has no kube-controller-manager and no kubelet, yet the suite waits for the
// Pods of its Deployments to be Ready (NamespacesMustBeReady) and l4gw mirrors backend
// EndpointSlices. standIn does, by polling, the least of what those components would write:
// `replicas` Pods per Deployment with status Running/Ready and an address, and one EndpointSlice
// per selector Service listing the ready Pods. Nothing listens on those addresses: the pods are
// status only, and the tests that would send them traffic are not run (see expectations.yaml).

const (
	// ownerLabel marks the Pods standIn created, with the name of their Deployment.
	ownerLabel = "conformance.l4gw.invalid/deployment"
	// managedBy is the EndpointSlice managed-by value of standIn's slices.
	managedBy = "l4gw-conformance-stand-in"
	// podNetwork is where Pod addresses come from (documentation range, never routed here).
	podNetwork = "192.0.2.%d"
)

type standIn struct {
	client kubernetes.Interface
	nextIP int
	podIPs map[string]string // namespace/name → address, so a Pod keeps its address
	errorf func(format string, args ...any)
}

func newStandIn(client kubernetes.Interface, errorf func(string, ...any)) *standIn {
	return &standIn{client: client, nextIP: 1, podIPs: map[string]string{}, errorf: errorf}
}

// run polls until ctx ends; a failed round is logged and retried (the API server may be busy).
func (s *standIn) run(ctx context.Context) {
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	for {
		if err := s.round(ctx); err != nil && ctx.Err() == nil {
			s.errorf("stand-in kubelet: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (s *standIn) round(ctx context.Context) error {
	deployments, err := s.client.AppsV1().Deployments(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing Deployments: %w", err)
	}
	pods, err := s.client.CoreV1().Pods(metav1.NamespaceAll).List(ctx, metav1.ListOptions{LabelSelector: ownerLabel})
	if err != nil {
		return fmt.Errorf("listing Pods: %w", err)
	}
	existing := map[string]corev1.Pod{}
	for _, pod := range pods.Items {
		existing[pod.Namespace+"/"+pod.Name] = pod
	}
	wanted := map[string]bool{}
	for i := range deployments.Items {
		deployment := &deployments.Items[i]
		if deployment.DeletionTimestamp != nil {
			continue
		}
		replicas := 1
		if deployment.Spec.Replicas != nil {
			replicas = int(*deployment.Spec.Replicas)
		}
		for n := range replicas {
			name := fmt.Sprintf("%s-%d", deployment.Name, n)
			key := deployment.Namespace + "/" + name
			wanted[key] = true
			pod, found := existing[key]
			if !found {
				created, err := s.createPod(ctx, deployment, name)
				if err != nil {
					return err
				}
				pod = *created
			}
			if err := s.markReady(ctx, &pod); err != nil {
				return err
			}
		}
	}
	for key, pod := range existing {
		if wanted[key] || pod.DeletionTimestamp != nil {
			continue
		}
		// Its Deployment is gone; without a garbage collector nobody else removes it.
		zero := int64(0)
		err := s.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
		if err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("deleting Pod %s: %w", key, err)
		}
	}
	return s.writeEndpointSlices(ctx)
}

func (s *standIn) createPod(ctx context.Context, deployment *appsv1.Deployment, name string) (*corev1.Pod, error) {
	podLabels := map[string]string{ownerLabel: deployment.Name}
	for k, v := range deployment.Spec.Template.Labels {
		podLabels[k] = v
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: deployment.Namespace, Labels: podLabels},
		Spec:       *deployment.Spec.Template.Spec.DeepCopy(),
	}
	created, err := s.client.CoreV1().Pods(deployment.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return s.client.CoreV1().Pods(deployment.Namespace).Get(ctx, name, metav1.GetOptions{})
	}
	if err != nil {
		return nil, fmt.Errorf("creating Pod %s/%s for Deployment %s: %w", deployment.Namespace, name, deployment.Name, err)
	}
	return created, nil
}

func (s *standIn) addressOf(pod *corev1.Pod) string {
	key := pod.Namespace + "/" + pod.Name
	if ip, ok := s.podIPs[key]; ok {
		return ip
	}
	ip := fmt.Sprintf(podNetwork, s.nextIP%254+1)
	s.nextIP++
	s.podIPs[key] = ip
	return ip
}

func (s *standIn) markReady(ctx context.Context, pod *corev1.Pod) error {
	if pod.Status.Phase == corev1.PodRunning && pod.Status.PodIP != "" {
		return nil
	}
	ip := s.addressOf(pod)
	now := metav1.Now()
	pod.Status = corev1.PodStatus{
		Phase:     corev1.PodRunning,
		PodIP:     ip,
		PodIPs:    []corev1.PodIP{{IP: ip}},
		HostIP:    "192.0.2.254",
		StartTime: &now,
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
		},
	}
	if _, err := s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil && !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
		return fmt.Errorf("marking Pod %s/%s Ready: %w", pod.Namespace, pod.Name, err)
	}
	return nil
}

// writeEndpointSlices gives each Service with a selector one slice of the ready Pods it selects.
func (s *standIn) writeEndpointSlices(ctx context.Context) error {
	services, err := s.client.CoreV1().Services(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing Services: %w", err)
	}
	for i := range services.Items {
		service := &services.Items[i]
		if len(service.Spec.Selector) == 0 || service.DeletionTimestamp != nil {
			continue
		}
		pods, err := s.client.CoreV1().Pods(service.Namespace).List(ctx, metav1.ListOptions{
			LabelSelector: labels.SelectorFromSet(service.Spec.Selector).String(),
		})
		if err != nil {
			return fmt.Errorf("listing Pods of Service %s/%s: %w", service.Namespace, service.Name, err)
		}
		if err := s.applySlice(ctx, service, pods.Items); err != nil {
			return err
		}
	}
	return nil
}

func (s *standIn) applySlice(ctx context.Context, service *corev1.Service, pods []corev1.Pod) error {
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	ready := true
	var endpoints []discoveryv1.Endpoint
	for i := range pods {
		pod := &pods[i]
		if pod.Status.PodIP == "" || pod.DeletionTimestamp != nil {
			continue
		}
		endpoints = append(endpoints, discoveryv1.Endpoint{
			Addresses:  []string{pod.Status.PodIP},
			Conditions: discoveryv1.EndpointConditions{Ready: &ready, Serving: &ready},
			TargetRef:  &corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
		})
	}
	var ports []discoveryv1.EndpointPort
	for _, port := range service.Spec.Ports {
		number, ok := targetPortNumber(port, pods)
		if !ok {
			continue
		}
		name, protocol := port.Name, port.Protocol
		ports = append(ports, discoveryv1.EndpointPort{Name: &name, Protocol: &protocol, Port: &number})
	}
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name:      service.Name + "-stand-in",
			Namespace: service.Namespace,
			Labels: map[string]string{
				discoveryv1.LabelServiceName: service.Name,
				discoveryv1.LabelManagedBy:   managedBy,
			},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   endpoints,
		Ports:       ports,
	}
	slices := s.client.DiscoveryV1().EndpointSlices(service.Namespace)
	current, err := slices.Get(ctx, slice.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = slices.Create(ctx, slice, metav1.CreateOptions{})
	} else if err == nil {
		if sameSlice(current, slice) {
			return nil
		}
		slice.ResourceVersion = current.ResourceVersion
		_, err = slices.Update(ctx, slice, metav1.UpdateOptions{})
	}
	if err != nil && !apierrors.IsConflict(err) && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("writing EndpointSlice %s/%s: %w", slice.Namespace, slice.Name, err)
	}
	return nil
}

func sameSlice(a, b *discoveryv1.EndpointSlice) bool {
	return fmt.Sprint(a.Endpoints) == fmt.Sprint(b.Endpoints) && fmt.Sprint(a.Ports) == fmt.Sprint(b.Ports)
}

// targetPortNumber resolves a Service port's targetPort: a number, a container port name on the
// selected Pods, or (unset) the port itself.
func targetPortNumber(port corev1.ServicePort, pods []corev1.Pod) (int32, bool) {
	switch {
	case port.TargetPort.Type == intstr.Int && port.TargetPort.IntVal != 0:
		return port.TargetPort.IntVal, true
	case port.TargetPort.Type == intstr.String && port.TargetPort.StrVal != "":
		for _, pod := range pods {
			for _, container := range pod.Spec.Containers {
				for _, containerPort := range container.Ports {
					if containerPort.Name == port.TargetPort.StrVal {
						return containerPort.ContainerPort, true
					}
				}
			}
		}
		return 0, false
	default:
		return port.Port, true
	}
}
