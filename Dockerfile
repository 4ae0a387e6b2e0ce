# syntax=docker/dockerfile:1
# The chat server image: built from source, run on a JRE 17.
#   docker build -t chat-backend .
#   docker run -m 1g -p 8000:8000 -e CHAT_JWT_SECRET=... -e SPRING_DATASOURCE_URL=jdbc:postgresql://... chat-backend
# Without SPRING_DATASOURCE_URL the server starts its embedded PostgreSQL in /app/data (one instance
# only); keep it on a volume: docker run -v chat-data:/app/data ...

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY migrations migrations
# packaged into the jar, served at /asyncapi.yaml
COPY docs/asyncapi.yaml docs/asyncapi.yaml
# packaged into the jar, served at /client/chat-client.js
COPY clients/js clients/js
COPY backend backend
# The backend module alone (-f): the other modules (load tool) are not in the build context.
# The cache mount keeps downloaded dependencies between builds.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -ntp -DskipTests -f backend/pom.xml package
# The jar's layers (Spring Boot's default layers index: dependencies, loader, snapshot dependencies,
# application), each copied below as an image layer of its own: a change to our code rebuilds and
# ships the 1 MB application layer, not the 106 MB of libraries under it.
RUN java -Djarmode=tools -jar backend/target/chat-backend.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin chat \
    && mkdir -p /app/data \
    && chown chat /app/data
WORKDIR /app
# Least often changed first.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# PostgreSQL refuses to run as root, so the embedded default needs a plain user anyway.
USER chat
# 8000: HTTP and WebSocket. 8081: the actuator, where MANAGEMENT_SERVER_PORT=8081 is set (compose
# does); not to be published through the load balancer.
EXPOSE 8000 8081
# Ready: started, database and broker reachable, not shutting down. Asked on the management port
# when one is set, else on the main port. HTTP by hand in bash: the JRE image does not promise curl
# or wget (newer tags dropped them).
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=12 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${MANAGEMENT_SERVER_PORT:-${SERVER_PORT:-8000}} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# SIGTERM starts the graceful shutdown: sockets are closed with 1012 and clients reconnect through the
# load balancer to another instance. Give it time before a SIGKILL (docker stop -t, stop_grace_period).
STOPSIGNAL SIGTERM
# The heap is a share of the container's memory limit (without a limit, of the host's memory: always
# set one), sized once (initial = maximum): no shrinking after a collection and regrowing under the
# next burst of connects. 60%, because the rest is needed outside the heap: about 200 MB for this
# application's class metadata, compiled code, threads and GC structures (measured with native memory
# tracking under a 1 GB limit, README "Capacity and sizing"), plus the kernel's socket buffers, which
# the container's limit counts too. A 20 ms pause goal keeps collections short, since every open socket
# is live data they copy or mark (docs/benchmarks.md).
ENTRYPOINT ["java", "-XX:InitialRAMPercentage=60", "-XX:MaxRAMPercentage=60", "-XX:MaxGCPauseMillis=20", \
            "org.springframework.boot.loader.launch.JarLauncher"]
