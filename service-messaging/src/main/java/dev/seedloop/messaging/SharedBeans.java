package dev.seedloop.messaging;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.seedloop.events.EventCodec;
import io.quarkus.arc.DefaultBean;

/**
 * The codec and the clock as beans: one codec per service (it is thread-safe), and a clock that tests
 * can replace, since domain code never reads the wall clock by itself.
 */
public class SharedBeans {

    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
