{{/* The chart's name prefix: the release name. */}}
{{- define "baton.fullname" -}}
{{- printf "%s-baton" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries; pass (dict "root" $ "component" "x"). */}}
{{- define "baton.labels" -}}
app.kubernetes.io/name: baton
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "baton.selector" -}}
app.kubernetes.io/name: baton
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "baton.image" -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- end -}}

{{/* Pod annotations for Prometheus scraping; pass (dict "root" $ "port" 3001). */}}
{{- define "baton.scrapeAnnotations" -}}
{{- if .root.Values.metrics.annotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* The environment every Baton container shares. */}}
{{- define "baton.commonEnv" -}}
- name: KAFKA_BROKERS
  value: {{ .Values.kafka.brokers | quote }}
- name: BATON_TOPIC_NAMESPACE
  value: {{ .Values.kafka.topicNamespace | quote }}
- name: HOST
  value: "0.0.0.0"
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret | default (printf "%s-database" (include "baton.fullname" .)) }}
      key: url
{{- if .Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.otel.endpoint | quote }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ .Values.otel.protocol | quote }}
{{- end }}
{{- end -}}

{{/* Kafka SASL credentials of one principal (kafka.sasl); pass (dict "root" $ "principal" "<name>"). */}}
{{- define "baton.kafkaAuthEnv" -}}
{{- if .root.Values.kafka.sasl.enabled }}
- name: KAFKA_SASL_MECHANISM
  value: {{ .root.Values.kafka.sasl.mechanism | quote }}
- name: KAFKA_SASL_USERNAME
  value: {{ .principal | quote }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.kafka.sasl.existingSecret | default (printf "%s-kafka" (include "baton.fullname" .root)) }}
      key: {{ .principal | quote }}
{{- end }}
{{- end -}}

{{/* Extra env from a map; pass the map. */}}
{{- define "baton.extraEnv" -}}
{{- range $k, $v := . }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* Liveness and readiness on the health endpoints; pass the port. */}}
{{- define "baton.probes" -}}
livenessProbe:
  httpGet: { path: /health/live, port: {{ . }} }
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: { path: /health/ready, port: {{ . }} }
  periodSeconds: 5
  failureThreshold: 2
{{- end -}}
