package io.chat.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission is bounded by time: what cannot be admitted within the budget is refused, at once if it can be told. */
class AdmissionControlTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private AdmissionControl control;

    @AfterEach
    void stop() {
        release.countDown();
        control.destroy();
    }

    @Test
    void opensAreAdmittedWhileTheQueueDrainsWithinTheBudget() throws Exception {
        control = new AdmissionControl(2, Duration.ofSeconds(2));
        CountDownLatch done = new CountDownLatch(100);
        AtomicInteger late = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            assertThat(control.tryAdmit(done::countDown, late::incrementAndGet)).isTrue();
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(late).hasValue(0);
    }

    @Test
    void anOpenArrivingWhileTheOldestHasWaitedHalfTheBudgetIsRefusedAtOnce() throws Exception {
        control = new AdmissionControl(1, Duration.ofMillis(400));
        CountDownLatch started = new CountDownLatch(1);
        assertThat(control.tryAdmit(() -> {
            started.countDown();
            await(release); // a stalled database
        }, () -> { })).isTrue();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(control.tryAdmit(() -> { }, () -> { })).as("queued behind the stall").isTrue();
        assertThat(control.tryAdmit(() -> { }, () -> { })).as("the queue is young").isTrue();
        Thread.sleep(250); // the oldest queued has now waited more than half of 400 ms
        long asked = System.nanoTime();
        assertThat(control.tryAdmit(() -> { }, () -> { })).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(50));
    }

    @Test
    void anOpenWhoseTurnCameAfterTheBudgetIsRefusedThenInsteadOfAdmitted() throws Exception {
        control = new AdmissionControl(1, Duration.ofMillis(200));
        CountDownLatch started = new CountDownLatch(1);
        control.tryAdmit(() -> {
            started.countDown();
            await(release);
        }, () -> { });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch refusedLate = new CountDownLatch(1);
        assertThat(control.tryAdmit(admitted::incrementAndGet, refusedLate::countDown)).isTrue();
        Thread.sleep(300);
        release.countDown();
        assertThat(refusedLate.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(admitted).hasValue(0);
    }

    @Test
    void theLimitFollowsHowLongStepsTake() throws Exception {
        control = new AdmissionControl(1, Duration.ofSeconds(2));
        int before = control.limit();
        CountDownLatch done = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            control.tryAdmit(() -> {
                sleep(20); // four times the first guess
                done.countDown();
            }, () -> { });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(control.limit()).isLessThan(before / 2).isGreaterThanOrEqualTo(32);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
