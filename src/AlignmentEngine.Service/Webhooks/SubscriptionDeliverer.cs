using AlignmentEngine.Storage;
using Polly;
using Polly.Retry;

namespace AlignmentEngine.Service.Webhooks;

/// <summary>
/// Delivers one subscription's outbox, oldest version first, one event at a time: the next is sent only once the
/// receiver acknowledged the one before, so events arrive in version order. A failed attempt is retried with
/// exponential backoff and jitter (Polly), each failure recorded in the outbox row; once the event has been failing
/// for longer than <see cref="AlignmentServiceOptions.WebhookDisableAfter"/> (counted from its first failure, across
/// restarts) the subscription is disabled and its events kept as failed deliveries. An event whose acknowledgement
/// was lost (a crash after the receiver answered) is sent again: delivery is at least once.
/// </summary>
internal sealed class SubscriptionDeliverer
{
    private readonly string _tenant;
    private readonly string _webhookId;
    private readonly Func<StoredWebhook?> _current;
    private readonly WebhookContext _context;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop;
    private readonly ResiliencePipeline<Attempt> _retries;

    public SubscriptionDeliverer(string tenant, string webhookId, Func<StoredWebhook?> current, Func<string, Task> disabled, WebhookContext context)
    {
        _tenant = tenant;
        _webhookId = webhookId;
        _current = current;
        _context = context;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(context.Stopping);
        _retries = new ResiliencePipelineBuilder<Attempt>()
            .AddRetry(new RetryStrategyOptions<Attempt>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result == Attempt.Failed),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = context.Options.WebhookRetryDelay,
                MaxDelay = context.Options.WebhookRetryMaxDelay,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        Running = Task.Run(() => RunAsync(disabled));
    }

    /// <summary>The delivery loop; it ends when the subscription is disabled or deleted, or the process stops.</summary>
    public Task Running { get; }

    /// <summary>New events may be in the outbox.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    public void Stop() => _stop.Cancel();

    private async Task RunAsync(Func<string, Task> disabled)
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (_current() is not { DisabledAt: null } webhook) return;
                try
                {
                    if (await _context.Store.NextPendingAsync(_webhookId, token).ConfigureAwait(false) is not { } next)
                    {
                        await _wake.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }

                    if (!await DeliverAsync(webhook, next, token).ConfigureAwait(false))
                    {
                        await _context.Store.DisableAsync(_webhookId, TimeProvider.System.GetUtcNow(), token).ConfigureAwait(false);
                        WebhookMetrics.SubscriptionDisabled(_tenant);
                        await disabled(_webhookId).ConfigureAwait(false);
                        return;
                    }
                }
                catch (StoreUnavailableException)
                {
                    // The outbox cannot be read or written just now: what is there stays, and is tried again.
                    await Task.Delay(_context.Options.PollInterval, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: what was not acknowledged stays in the outbox for the next start.
        }
    }

    /// <summary>Sends one event until it is acknowledged (true) or has failed for longer than the bound (false).</summary>
    private async Task<bool> DeliverAsync(StoredWebhook webhook, StoredDelivery delivery, CancellationToken token)
    {
        // Wall-clock time, whatever clock commits use: receivers check webhook-timestamp against their own.
        var clock = TimeProvider.System;
        var firstFailure = delivery.FirstFailedAt;
        var outcome = await _retries.ExecuteAsync(async cancellationToken =>
        {
            var now = clock.GetUtcNow();
            var error = await _context.Sender.SendAsync(_current() ?? webhook, delivery, now, cancellationToken).ConfigureAwait(false);
            if (error is null) return Attempt.Acknowledged;
            firstFailure ??= now;
            WebhookMetrics.AttemptFailed(_tenant);
            await _context.Store.AttemptFailedAsync(_webhookId, delivery.Version, now, error, cancellationToken).ConfigureAwait(false);
            return now - firstFailure >= _context.Options.WebhookDisableAfter ? Attempt.GaveUp : Attempt.Failed;
        }, token).ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        if (outcome != Attempt.Acknowledged) return false;
        await _context.Store.DeliveredAsync(_webhookId, delivery.Version, token).ConfigureAwait(false);
        WebhookMetrics.Acknowledged(_tenant, clock.GetUtcNow() - delivery.CommittedAt);
        return true;
    }

    /// <summary>What one attempt came to; only <see cref="Failed"/> is retried.</summary>
    private enum Attempt
    {
        Acknowledged,
        Failed,
        GaveUp,
    }
}
