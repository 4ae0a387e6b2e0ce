package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.chat.loadtest.EventOrder.Step;

class EventOrderTest {

    @Test
    void eventsFollowOnFromTheSeqOfTheGreeting() {
        EventOrder order = new EventOrder();
        order.established(40);
        assertThat(order.checksSeq()).isTrue();
        assertThat(order.event(41)).isEqualTo(Step.IN_ORDER);
        assertThat(order.event(42)).isEqualTo(Step.IN_ORDER);
    }

    @Test
    void aChatWithoutEventsStartsAtOne() {
        EventOrder order = new EventOrder();
        order.established(0);
        assertThat(order.event(1)).isEqualTo(Step.IN_ORDER);
        EventOrder skipped = new EventOrder();
        skipped.established(0);
        assertThat(skipped.event(2)).isEqualTo(Step.GAP);
    }

    @Test
    void aSkippedSeqIsOneGapAndTheNextFollowsOnFromTheFrameAfterIt() {
        EventOrder order = new EventOrder();
        order.established(0);
        order.event(1);
        assertThat(order.event(5)).isEqualTo(Step.GAP);
        assertThat(order.event(6)).isEqualTo(Step.IN_ORDER);
    }

    @Test
    void repeatsAndOlderEventsAreOutOfOrderWithoutMovingTheReference() {
        EventOrder order = new EventOrder();
        order.established(10);
        order.event(11);
        order.event(12);
        assertThat(order.event(12)).isEqualTo(Step.OUT_OF_ORDER);
        assertThat(order.event(11)).isEqualTo(Step.OUT_OF_ORDER);
        assertThat(order.event(10)).isEqualTo(Step.OUT_OF_ORDER); // already covered by the greeting
        assertThat(order.event(13)).isEqualTo(Step.IN_ORDER);
    }

    @Test
    void aLateEventAfterAGapIsOutOfOrder() {
        EventOrder order = new EventOrder();
        order.established(0);
        order.event(1);
        assertThat(order.event(3)).isEqualTo(Step.GAP);
        assertThat(order.event(2)).isEqualTo(Step.OUT_OF_ORDER);
        assertThat(order.event(4)).isEqualTo(Step.IN_ORDER);
    }

    @Test
    void aFrameWithoutSeqFromANumberingServerIsMissing() {
        EventOrder order = new EventOrder();
        order.established(3);
        assertThat(order.event(MessageFrames.ABSENT)).isEqualTo(Step.MISSING);
        assertThat(order.event(4)).isEqualTo(Step.IN_ORDER);
    }

    @Test
    void aServerWithoutEventNumbersIsNotChecked() {
        EventOrder order = new EventOrder();
        assertThat(order.checksSeq()).isFalse();
        order.established(MessageFrames.ABSENT);
        assertThat(order.checksSeq()).isFalse();
        assertThat(order.event(MessageFrames.ABSENT)).isEqualTo(Step.NOT_CHECKED);
        assertThat(order.event(7)).isEqualTo(Step.NOT_CHECKED);
    }

    @Test
    void messageIdsMustNotGoBackwards() {
        EventOrder order = new EventOrder();
        order.established(MessageFrames.ABSENT); // ids are followed even where seq is not
        assertThat(order.messageIdInOrder(5)).isTrue();
        assertThat(order.messageIdInOrder(9)).isTrue();
        assertThat(order.messageIdInOrder(9)).isTrue(); // a repeat: the delivery bookkeeping's duplicate
        assertThat(order.messageIdInOrder(7)).isFalse();
        assertThat(order.messageIdInOrder(8)).isFalse(); // still below the highest seen
        assertThat(order.messageIdInOrder(10)).isTrue();
        assertThat(order.messageIdInOrder(MessageFrames.ABSENT)).isTrue();
    }
}
