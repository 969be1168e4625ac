package io.ghosthands.app.api;

import io.ghosthands.app.config.GhProperties;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The API's servlet filters, in order: request id first (so even a 401 has one), the traffic count
 * (so even a 401 counts), the key, then the JSON-only rules (after the key, so nobody without it
 * makes the API read a body). Also puts {@link JsonErrorValve} on Tomcat's host, so what Tomcat
 * refuses before any filter runs is JSON too.
 */
@Configuration
@ConditionalOnWebApplication
class ApiConfig {

    @Bean
    FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> bean = new FilterRegistrationBean<>(new RequestIdFilter());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }

    @Bean
    FilterRegistrationBean<WholeAnswerFilter> wholeAnswerFilter() {
        FilterRegistrationBean<WholeAnswerFilter> bean = new FilterRegistrationBean<>(new WholeAnswerFilter());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return bean;
    }

    @Bean
    FilterRegistrationBean<ApiTraffic> apiTrafficFilter(ApiTraffic traffic) {
        FilterRegistrationBean<ApiTraffic> bean = new FilterRegistrationBean<>(traffic);
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return bean;
    }

    @Bean
    FilterRegistrationBean<JsonBodyFilter> jsonBodyFilter(GhProperties properties) {
        FilterRegistrationBean<JsonBodyFilter> bean = new FilterRegistrationBean<>(
                new JsonBodyFilter(properties.getApi().getMaxBodyBytes()));
        // after the key; before Spring's form filter, which would read a form-labelled body as fields
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
        return bean;
    }

    /**
     * Replaces the host's error report valve (Tomcat's HTML page, which Spring Boot installs) with
     * {@link JsonErrorValve}. Runs after Boot's own customizer, which adds the HTML one.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return new WebServerFactoryCustomizer<>() {
            @Override
            public void customize(TomcatServletWebServerFactory factory) {
                factory.addContextCustomizers(context -> {
                    if (!(context.getParent() instanceof StandardHost host)) {
                        return;
                    }
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorValve)) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.getPipeline().addValve(new JsonErrorValve());
                    // the host adds a valve of this class when it starts unless one is there: ours is
                    host.setErrorReportValveClass(JsonErrorValve.class.getName());
                });
            }
        };
    }

    @Bean
    FilterRegistrationBean<ServiceKeyFilter> serviceKeyFilter(GhProperties properties) {
        FilterRegistrationBean<ServiceKeyFilter> bean =
                new FilterRegistrationBean<>(new ServiceKeyFilter(properties.getServiceKey()));
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return bean;
    }
}
