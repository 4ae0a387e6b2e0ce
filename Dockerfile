# The chat server image: built from source, run on a JRE 17.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
COPY migrations migrations
COPY backend backend
RUN mvn -B -q -DskipTests -pl backend -am package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /app chat
WORKDIR /app
COPY --from=build /src/backend/target/chat-backend.jar /app/chat-backend.jar
USER chat
EXPOSE 8000
# 1012 on SIGTERM: clients reconnect through the load balancer to another instance.
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/chat-backend.jar"]
