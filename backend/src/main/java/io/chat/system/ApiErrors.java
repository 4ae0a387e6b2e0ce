package io.chat.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The 4xx statuses a REST endpoint answers with a problem document, besides the 401 of a missing or
 * bad token (which {@link ApiDocsConfiguration} adds to every endpoint that needs one). The OpenAPI
 * document lists each as an {@code application/problem+json} response.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ApiErrors {

    /** HTTP statuses, each one of those {@link ApiDocsConfiguration} knows how to describe. */
    int[] value();
}
