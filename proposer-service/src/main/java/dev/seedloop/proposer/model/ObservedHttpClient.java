package dev.seedloop.proposer.model;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK HTTP client LangChain4j's {@code JdkHttpClient} sends through, with two things LangChain4j does not do: it
 * remembers the last response's {@code Retry-After} on the calling thread (LangChain4j's error carries the status and
 * body, not the headers), and it stops reading a response body beyond a byte limit, so a huge answer is refused
 * without being held in memory whole ({@link BodyTooLargeException}).
 */
final class ObservedHttpClient extends HttpClient {

    /** A response body passed the limit; the rest was not read. */
    static final class BodyTooLargeException extends IOException {

        BodyTooLargeException(long limit) {
            super("the response body exceeds " + limit + " bytes");
        }
    }

    private static final ThreadLocal<Duration> RETRY_AFTER = new ThreadLocal<>();

    private final HttpClient delegate;
    private final long maxBodyBytes;

    private ObservedHttpClient(HttpClient delegate, long maxBodyBytes) {
        this.delegate = delegate;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A builder for LangChain4j's {@code JdkHttpClientBuilder.httpClientBuilder}: HTTP/1.1, the body limit. */
    static HttpClient.Builder builder(long maxBodyBytes) {
        return new ObservingBuilder(HttpClient.newBuilder().version(Version.HTTP_1_1), maxBodyBytes);
    }

    /** The {@code Retry-After} of the last response this thread received (seconds form only), and forgets it. */
    static Optional<Duration> takeRetryAfter() {
        Duration value = RETRY_AFTER.get();
        RETRY_AFTER.remove();
        return Optional.ofNullable(value);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        RETRY_AFTER.remove();
        // LangChain4j sends synchronously on the caller's thread and turns an error status into an exception after
        // send returns: the header is read here, on that thread, before the status becomes an exception.
        HttpResponse<T> response = delegate.send(request,
                info -> new LimitedSubscriber<>(handler.apply(info), maxBodyBytes));
        retryAfter(response.headers().firstValue("Retry-After")).ifPresent(RETRY_AFTER::set);
        return response;
    }

    private static Optional<Duration> retryAfter(Optional<String> header) {
        return header.flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
            } catch (NumberFormatException e) {
                // An HTTP date: rare from model servers; the backoff alone decides then.
                return Optional.empty();
            }
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, info -> new LimitedSubscriber<>(handler.apply(info), maxBodyBytes));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, info -> new LimitedSubscriber<>(handler.apply(info), maxBodyBytes),
                pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public void shutdownNow() {
        delegate.shutdownNow();
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        return delegate.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Passes the body on until it exceeds the limit, then cancels the rest and fails. */
    private static final class LimitedSubscriber<T> implements HttpResponse.BodySubscriber<T> {

        private final HttpResponse.BodySubscriber<T> inner;
        private final long limit;
        private long received;
        private Flow.Subscription subscription;
        private boolean failed;

        LimitedSubscriber(HttpResponse.BodySubscriber<T> inner, long limit) {
            this.inner = inner;
            this.limit = limit;
        }

        @Override
        public CompletionStage<T> getBody() {
            return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            if (failed) {
                return;
            }
            for (ByteBuffer buffer : item) {
                received += buffer.remaining();
            }
            if (received > limit) {
                failed = true;
                subscription.cancel();
                inner.onError(new BodyTooLargeException(limit));
                return;
            }
            inner.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            if (!failed) {
                inner.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                inner.onComplete();
            }
        }
    }

    private record ObservingBuilder(HttpClient.Builder delegate, long maxBodyBytes) implements HttpClient.Builder {

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            delegate.connectTimeout(duration);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            delegate.sslContext(sslContext);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient.Builder localAddress(InetAddress localAddr) {
            delegate.localAddress(localAddr);
            return this;
        }

        @Override
        public HttpClient build() {
            return new ObservedHttpClient(delegate.build(), maxBodyBytes);
        }
    }
}
