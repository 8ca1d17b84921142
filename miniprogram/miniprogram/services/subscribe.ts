/** Subscription consent (订阅消息), asked before paying and before booking. */

import { config } from '../config'
import { wxRequestSubscribe } from './platform'

export type SubscribeTopic = 'payment' | 'booking'

/**
 * Ask the patient to accept the topic's message templates. Never fails. WeChat only shows the
 * dialog from a tap, so call it first thing in the tap handler, before any await.
 */
export function askSubscription(topic: SubscribeTopic): Promise<void> {
  return wxRequestSubscribe(config.subscribeTemplates[topic] || [])
}
