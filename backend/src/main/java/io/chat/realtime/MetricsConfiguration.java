package io.chat.realtime;

import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.chat.system.ClusterSettings;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Names the instance on every meter ({@code instance_id}, from {@code chat.cluster.instance-id}), so
 * that an operator tells instances apart by the name the logs and the connection claims use, not by
 * an address that changes when a container is recreated.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    static final String INSTANCE_TAG = "instance_id";

    @Bean
    MeterRegistryCustomizer<MeterRegistry> instanceTag(ClusterSettings cluster) {
        return registry -> registry.config().commonTags(INSTANCE_TAG, cluster.instanceId());
    }
}
