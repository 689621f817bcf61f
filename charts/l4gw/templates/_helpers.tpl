{{/* The chart's name (app.kubernetes.io/name). */}}
{{- define "l4gw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of every object: the release name (install as `l4gw` for the names the docs use). */}}
{{- define "l4gw.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selects the operator's Pods; immutable in a Deployment, so it never carries versions. */}}
{{- define "l4gw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "l4gw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "l4gw.labels" -}}
{{ include "l4gw.selectorLabels" . }}
{{- if .Values.helmLabels }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}
{{- end }}

{{- define "l4gw.serviceAccountName" -}}
{{- default (include "l4gw.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "l4gw.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}
{{- end }}

{{/* The operator's command line (`l4gw help run`). */}}
{{- define "l4gw.args" -}}
{{- $c := .Values.config -}}
- run
{{- if .Values.leaderElection.enabled }}
- -leader-elect
- -leader-election-namespace={{ default "$(POD_NAMESPACE)" .Values.leaderElection.namespace }}
{{- end }}
- -metrics-bind-address=:{{ .Values.ports.metrics }}
- -health-probe-bind-address=:{{ .Values.ports.health }}
- -gateway-class-name={{ $c.gatewayClassName }}
- -ipam-configmap={{ $c.ipamConfigMap }}
- -service-behaviour={{ $c.serviceBehaviour }}
- -lb-annotations={{ $c.lbAnnotations }}
{{- with $c.loadBalancerClass }}
- -load-balancer-class={{ . }}
{{- end }}
{{- if $c.pinAddresses }}
- -pin-addresses
{{- end }}
{{- if $c.allowUnpooledAddresses }}
- -allow-unpooled-addresses
{{- end }}
- -log-level={{ $c.logLevel }}
- -log-format={{ $c.logFormat }}
{{- range .Values.extraArgs }}
- {{ . }}
{{- end }}
{{- end }}
