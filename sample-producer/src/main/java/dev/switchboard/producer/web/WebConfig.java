package dev.switchboard.producer.web;

import dev.switchboard.producer.faults.FaultInjectionFilter;
import dev.switchboard.producer.faults.FaultInjector;
import dev.switchboard.producer.instance.InstanceHeaderFilter;
import dev.switchboard.producer.instance.InstanceIdentity;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The lab filters, right after Spring's ForwardedHeaderFilter (which runs first, so paths and links already
 * carry the X-Forwarded-Prefix): the instance header on every response, then fault injection.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfig {

    @Bean
    FilterRegistrationBean<InstanceHeaderFilter> instanceHeaderFilter(InstanceIdentity identity) {
        FilterRegistrationBean<InstanceHeaderFilter> registration =
                new FilterRegistrationBean<>(new InstanceHeaderFilter(identity));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<FaultInjectionFilter> faultInjectionFilter(FaultInjector faults) {
        FilterRegistrationBean<FaultInjectionFilter> registration =
                new FilterRegistrationBean<>(new FaultInjectionFilter(faults));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }
}
