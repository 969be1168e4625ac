package io.ghosthands.app.api;

import io.ghosthands.app.config.GhProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The API's servlet filters, in order: request id first (so even a 401 has one), the traffic count
 * (so even a 401 counts), then the key.
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
  FilterRegistrationBean<JsonBodyFilter> jsonBodyFilter() {
    FilterRegistrationBean<JsonBodyFilter> bean = new FilterRegistrationBean<>(new JsonBodyFilter());
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    return bean;
  }

  @Bean
  FilterRegistrationBean<ServiceKeyFilter> serviceKeyFilter(GhProperties properties) {
    FilterRegistrationBean<ServiceKeyFilter> bean =
        new FilterRegistrationBean<>(new ServiceKeyFilter(properties.getServiceKey()));
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return bean;
  }
}
