package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.chat.loadtest.SeqLedger.Receipt;

class SeqLedgerTest {

    @Test
    void everyEventAfterTheFirstGreetingReceivedOnceIsNeitherMissedNorDuplicated() {
        SeqLedger ledger = new SeqLedger();
        ledger.greeted(10);
        for (long seq = 11; seq <= 15; seq++) {
            assertThat(ledger.received(seq)).isEqualTo(Receipt.NEW);
        }
        assertThat(ledger.missed(15)).isZero();
        assertThat(ledger.duplicated()).isZero();
        assertThat(ledger.lastSeen()).isEqualTo(15);
    }

    @Test
    void eventsNeverReceivedUpToTheChatsFinalSeqAreMissed() {
        SeqLedger ledger = new SeqLedger();
        ledger.greeted(0);
        ledger.received(1);
        ledger.received(3);
        assertThat(ledger.missed(5)).isEqualTo(3);
        assertThat(ledger.missed(3)).isEqualTo(1);
    }

    @Test
    void anEventReplayedAtRecoveryAndAlsoReceivedLiveIsADuplicate() {
        SeqLedger ledger = new SeqLedger();
        ledger.greeted(4);
        ledger.received(5);
        ledger.received(6);
        ledger.greeted(6); // the reconnect's greeting moves nothing
        assertThat(ledger.received(6)).isEqualTo(Receipt.DUPLICATE);
        assertThat(ledger.received(7)).isEqualTo(Receipt.NEW);
        assertThat(ledger.duplicated()).isEqualTo(1);
        assertThat(ledger.missed(7)).isZero();
    }

    @Test
    void aReconnectAsksForEverythingAfterTheLatestSeqSeen() {
        SeqLedger ledger = new SeqLedger();
        assertThat(ledger.lastSeen()).isEqualTo(-1);
        ledger.greeted(20);
        assertThat(ledger.lastSeen()).isEqualTo(20);
        ledger.received(22);
        ledger.received(21);
        assertThat(ledger.lastSeen()).isEqualTo(22);
    }

    @Test
    void eventsFromBeforeTheClientCameInAreNotCountedAsReceived() {
        SeqLedger ledger = new SeqLedger();
        assertThat(ledger.received(1)).isEqualTo(Receipt.NOT_STARTED);
        ledger.greeted(3);
        assertThat(ledger.received(3)).isEqualTo(Receipt.BEFORE_START);
        assertThat(ledger.missed(3)).isZero();
        assertThat(ledger.missed(2)).isZero();
        assertThat(ledger.duplicated()).isZero();
    }

    @Test
    void aClientThatNeverGotAGreetingOwesNothing() {
        assertThat(new SeqLedger().missed(100)).isZero();
    }
}
