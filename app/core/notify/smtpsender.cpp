// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "notify/smtpsender.h"

#include <QMetaObject>

#include <algorithm>
#include <array>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

// curl_global_init is not thread-safe: once, on the thread that makes the first sender.
void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload
{
    const QByteArray *data = nullptr;
    qsizetype offset = 0;
};

size_t readMessage(char *buffer, size_t size, size_t count, void *user)
{
    auto *upload = static_cast<Upload *>(user);
    const auto room = static_cast<qsizetype>(size) * static_cast<qsizetype>(count);
    const qsizetype left = upload->data->size() - upload->offset;
    const qsizetype n = std::min(room, left);
    if (n <= 0)
        return 0;
    std::memcpy(buffer, QByteArrayView(*upload->data).sliced(upload->offset, n).data(), size_t(n));
    upload->offset += n;
    return size_t(n);
}

int progress(void *user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
             curl_off_t /*ulnow*/)
{
    const auto *abort = static_cast<const std::atomic<bool> *>(user);
    return abort != nullptr && abort->load() ? 1 : 0; // non-zero aborts the transfer
}

struct EasyDeleter
{
    void operator()(CURL *curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter
{
    void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};

} // namespace

SmtpSender::SmtpSender(QObject *parent)
    : QObject(parent)
{
    initCurlOnce();
    m_pool.setMaxThreadCount(2);
}

SmtpSender::~SmtpSender()
{
    m_abort = true;
    m_pool.waitForDone();
}

void SmtpSender::send(const SmtpSend &mail, std::function<void(const SmtpOutcome &)> done)
{
    m_pool.start([this, mail, done = std::move(done)] {
        const SmtpOutcome outcome = sendBlocking(mail, &m_abort);
        // Queued to this object's thread; dropped if the sender is gone by then (the
        // destructor waits for this worker, so `this` is alive while it posts).
        QMetaObject::invokeMethod(
            this, [done, outcome] { done(outcome); }, Qt::QueuedConnection);
    });
}

SmtpOutcome SmtpSender::sendBlocking(const SmtpSend &mail, const std::atomic<bool> *abort)
{
    SmtpOutcome outcome;
    const std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) {
        outcome.error = u"cannot initialise libcurl"_s;
        return outcome;
    }
    CURL *c = curl.get();
    std::array<char, CURL_ERROR_SIZE> errorText {};
    const QByteArray url = mail.url.toString(QUrl::FullyEncoded).toUtf8();
    const QByteArray from = '<' + mail.from + '>';
    curl_slist *list = nullptr;
    for (const QByteArray &to : mail.to) {
        curl_slist *head = curl_slist_append(list, QByteArray('<' + to + '>').constData());
        if (head == nullptr) {
            curl_slist_free_all(list);
            outcome.error = u"out of memory"_s;
            return outcome;
        }
        list = head;
    }
    const std::unique_ptr<curl_slist, ListDeleter> recipients(list);
    const QByteArray caFile = mail.caFile.toLocal8Bit();
    Upload upload {&mail.message, 0};
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     long(mail.requireStartTls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    if (!caFile.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, caFile.constData());
    if (!mail.username.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, mail.username.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, mail.password.constData());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &readMessage);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(mail.message.size()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(mail.timeoutMs));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(mail.timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // worker threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorText.data());
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, abort);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 0L); // a verbose transcript would show AUTH

    const CURLcode result = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    outcome.replyCode = int(reply);
    if (result == CURLE_OK) {
        outcome.ok = true;
        return outcome;
    }
    // libcurl's texts name the step ("Login denied", "Failed to connect to 127.0.0.1 port
    // 2525", "STARTTLS denied"), never the credentials.
    QString why = QString::fromUtf8(errorText.data());
    if (why.isEmpty())
        why = QString::fromUtf8(curl_easy_strerror(result));
    outcome.error = u"SMTP: "_s + why
        + (reply > 0 ? u" (server reply "_s + QString::number(reply) + u')' : QString());
    return outcome;
}

} // namespace spotkeeper::core
