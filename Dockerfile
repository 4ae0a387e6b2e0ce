# syntax=docker/dockerfile:1
# The chat server image: built from source, run on a JRE 17.
#   docker build -t chat-backend .
#   docker run -p 8000:8000 -e CHAT_JWT_SECRET=... -e SPRING_DATASOURCE_URL=jdbc:postgresql://... chat-backend
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

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin chat \
    && mkdir -p /app/data \
    && chown chat /app/data
WORKDIR /app
COPY --from=build /src/backend/target/chat-backend.jar /app/chat-backend.jar
# PostgreSQL refuses to run as root, so the embedded default needs a plain user anyway.
USER chat
EXPOSE 8000
# SIGTERM starts the graceful shutdown: sockets are closed with 1012 and clients reconnect through the
# load balancer to another instance. Give it time before a SIGKILL (docker stop -t, stop_grace_period).
STOPSIGNAL SIGTERM
# The heap is sized once (initial = maximum): no shrinking after a collection and regrowing under the
# next burst of connects. A 20 ms pause goal keeps collections short, since every open socket is
# live data they copy or mark (docs/benchmarks.md).
ENTRYPOINT ["java", "-XX:InitialRAMPercentage=75", "-XX:MaxRAMPercentage=75", "-XX:MaxGCPauseMillis=20", \
            "-jar", "/app/chat-backend.jar"]
