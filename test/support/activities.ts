/** Activities shaped as InstagramAdapter makes them (see the README's mapping table). */
export const BUSINESS_ID = '17841400000000001';
export const OTHER_BUSINESS_ID = '17841400000000002';

type Item = Record<string, unknown>;

function messagingActivity(type: string, igsid: string, item: Item, businessId = BUSINESS_ID, extra: Item = {}) {
  return {
    type,
    channelId: 'instagram',
    from: { id: igsid },
    recipient: { id: businessId },
    conversation: { id: igsid },
    ...extra,
    channelData: {
      sender: { id: igsid },
      recipient: { id: businessId },
      timestamp: 1_752_834_910_447,
      ...item,
      object: 'instagram',
      entry: { id: businessId, time: 1_752_834_911_539 },
    },
  };
}

let counter = 0;
const nextMid = () => `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx${++counter}`;

export const activities = {
  message: (igsid: string, text = 'hi', businessId = BUSINESS_ID) =>
    messagingActivity('message', igsid, { message: { mid: nextMid(), text } }, businessId, { text }),
  quickReply: (igsid: string, payload: string, businessId = BUSINESS_ID) =>
    messagingActivity('message', igsid, { message: { mid: nextMid(), text: 'Yes', quick_reply: { payload } } }, businessId, { text: 'Yes', value: payload }),
  postback: (igsid: string, payload: string, title = 'Tap', businessId = BUSINESS_ID) =>
    messagingActivity('message', igsid, { postback: { mid: nextMid(), title, payload } }, businessId, { text: title, value: payload }),
  read: (igsid: string, businessId = BUSINESS_ID) => messagingActivity('event', igsid, { read: { mid: nextMid() } }, businessId, { name: 'instagram/read' }),
  reaction: (igsid: string, businessId = BUSINESS_ID) =>
    messagingActivity('messageReaction', igsid, { reaction: { mid: nextMid(), action: 'react', reaction: 'love', emoji: '❤️' } }, businessId),
  comment: (igsid: string, text = 'Nice!', businessId = BUSINESS_ID) => ({
    type: 'event',
    name: 'instagram/comment',
    channelId: 'instagram',
    from: { id: igsid },
    recipient: { id: businessId },
    conversation: { id: igsid },
    channelData: {
      object: 'instagram',
      entry: { id: businessId, time: 1_752_834_911_539 },
      field: 'comments',
      value: { id: '18000000000000001', from: { id: igsid, username: 'someone' }, text, media: { id: '18000000000000002' } },
    },
  }),
};
