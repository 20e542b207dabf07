<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!-- The client's user-visible sentences (plugin/core), context sotto::client.
     Regenerate with: lupdate plugin/core -ts translations/sotto_client.ts -->
<TS version="2.1">
<context>
    <name>sotto::client</name>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>You are not connected to your XMPP server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server does not offer private processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server describes the service incorrectly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server answered with an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Private processing is turned off by your administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>This feature is not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Someone in this chat asked for no AI processing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>You turned off private processing for this chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>None of the service's relays is allowed by your policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The administrator's policy file cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>No tokens left, and your server could not give new ones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server refused: you are not allowed to use this service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server refused: daily limit reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server refused the token request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Your server sent tokens that are not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The token wallet cannot be saved or read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The relay could not be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's encryption keys are malformed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's attestation evidence is malformed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The attested keys are not the keys the relay served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's hardware attestation does not verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service runs on a simulated TEE, which your policy refuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's confidential VM does not meet the security policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The attestation was not made for these keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's attestation has expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The public log's checkpoint is not signed by the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>Too few independent witnesses confirmed the public log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's code is not in the public log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service runs code other than the code in the public log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>ATTACK WARNING: the public log went back in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>ATTACK WARNING: the public log shows you a different history than before (fork)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The record of the public log cannot be saved or read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The request could not be encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The text is too long for the service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service's answer could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service refused the request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service did not accept the token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/errors.cpp"/>
        <source>The service changed its keys; please try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/processing_session.cpp"/>
        <source>Finding the service on your server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/processing_session.cpp"/>
        <source>Verifying the service's attestation and the public log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/processing_session.cpp"/>
        <source>Getting an anonymous token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/processing_session.cpp"/>
        <source>Sending the sealed request through the relay…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/verification_report.cpp"/>
        <source>DEVELOPMENT (simulated TEE, not verified hardware)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/verification_report.cpp"/>
        <source>verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/verification_report.cpp"/>
        <source>%1: %2 %3, measurement %4…, TCB %5
log %6: entry %7 of %8, cosigned by %9; relay %10, key %11</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin/core/verification_report.cpp"/>
        <source>%1: %2 %3, measurement %4…, TCB %5
log %6: entry %7 of %8, cosigned by %9; key %10</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
