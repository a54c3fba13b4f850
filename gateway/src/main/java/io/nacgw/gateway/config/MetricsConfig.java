package io.nacgw.gateway.config;

import io.nacgw.nacapi.MetricsServer;

/** {@code metrics:} the plain-HTTP {@code /metrics} (Prometheus) and {@code /health} port; keep it on localhost. */
public record MetricsConfig(Boolean enabled, String host, Integer port) {
    public MetricsConfig {
        enabled = enabled == null || enabled;
    }

    static MetricsConfig defaults() {
        return new MetricsConfig(null, null, null);
    }

    public MetricsServer.Settings settings() {
        MetricsServer.Settings d = MetricsServer.Settings.defaults();
        return new MetricsServer.Settings(host != null ? host : d.host(), port != null ? port : d.port());
    }
}
