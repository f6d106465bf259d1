// The open order beside the list: its current state, then everything that happened to it. It
// owns the order's query (keys.order), which the backend's events refresh by the order's id.

import { createQuery } from "@tanstack/solid-query";
import { For, type JSX, Match, Show, Switch } from "solid-js";
import { commands } from "../../bindings/commands";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { humanize, money } from "../../format";
import { toCommandError } from "../../ipc";
import { keys } from "../../queries/keys";
import { Pill } from "./Pill";
import { timelineLines, when } from "./timeline";

function Fact(props: { label: string; value: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.value}>
      {(value) => (
        <div class="fact">
          <dt>{props.label}</dt>
          <dd dir="auto">{value()}</dd>
        </div>
      )}
    </Show>
  );
}

function CloseButton(props: { onClose: () => void }): JSX.Element {
  return (
    <button type="button" class="ghost" aria-label="Close the order" onClick={() => props.onClose()}>
      ✕
    </button>
  );
}

function Timeline(props: { detail: OrderDetail }): JSX.Element {
  const lines = () => timelineLines(props.detail.timeline);
  return (
    <Show when={lines().length > 0} fallback={<p class="muted">Nothing received for this order yet</p>}>
      <ol class="timeline">
        <For each={lines()}>
          {(line) => (
            <li class="timeline-entry" data-kind={line.kind}>
              <time datetime={line.at}>{when(line.at)}</time>
              <span class="timeline-title" dir="auto">
                {line.title}
              </span>
              <For each={line.details}>
                {(detail) => (
                  <span class="muted timeline-detail" dir="auto">
                    {detail}
                  </span>
                )}
              </For>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}

export function OrderFacts(props: { detail: OrderDetail; onClose: () => void }): JSX.Element {
  const payment = () => props.detail.payment;
  const shipping = () => props.detail.shipping;
  const lastSeen = () => {
    const location = shipping()?.location;
    return location ? `${location.city}, ${location.country} (${humanize(location.status).toLowerCase()})` : null;
  };
  return (
    <aside class="order-detail" aria-label={`Order ${props.detail.id}`} data-order-id={props.detail.id}>
      <header class="order-detail-header">
        <h2 dir="auto">{`Order ${props.detail.id}`}</h2>
        <Pill value={props.detail.status} />
        <CloseButton onClose={props.onClose} />
      </header>
      <dl class="facts">
        <Fact label="Status since" value={when(props.detail.statusAt)} />
        <Fact
          label="Payment"
          value={(() => {
            const p = payment();
            return p ? `${money(p.amount, p.currency)} · ${humanize(p.status)} · ${humanize(p.paymentMethod)}` : "None yet";
          })()}
        />
        <Fact label="Transaction" value={payment()?.transactionId} />
        <Fact label="Shipping" value={shipping() ? humanize(shipping()?.status) : "Not shipped"} />
        <Fact label="Carrier" value={shipping()?.carrier} />
        <Fact label="Tracking" value={shipping()?.trackingNumber} />
        <Fact label="Expected" value={when(shipping()?.estimatedDelivery)} />
        <Fact label="Last seen" value={lastSeen()} />
      </dl>
      <h3>Timeline</h3>
      <Timeline detail={props.detail} />
    </aside>
  );
}

export function OrderDetailPane(props: { orderId: string; onClose: () => void }): JSX.Element {
  const detail = createQuery(() => ({
    queryKey: keys.order(props.orderId),
    queryFn: () => commands.orderDetail(props.orderId),
  }));
  return (
    <Switch
      fallback={
        <aside class="order-detail" aria-label="Order" aria-busy="true">
          <p class="muted">Loading…</p>
        </aside>
      }
    >
      <Match when={detail.data}>{(loaded) => <OrderFacts detail={loaded()} onClose={props.onClose} />}</Match>
      <Match when={detail.error}>
        {(error) => (
          <aside class="order-detail" aria-label={`Order ${props.orderId}`}>
            <header class="order-detail-header">
              <h2 dir="auto">{`Order ${props.orderId}`}</h2>
              <CloseButton onClose={props.onClose} />
            </header>
            <p class="empty failure" role="alert" dir="auto">
              {toCommandError(error()).message}
            </p>
          </aside>
        )}
      </Match>
    </Switch>
  );
}
