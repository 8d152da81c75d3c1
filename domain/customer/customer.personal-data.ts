import { customerSubject, type PersonalDataOf } from '../shared/personal-data.js';
import type { CustomerEvent } from './customer.events.js';

export const customerPersonalData: PersonalDataOf<CustomerEvent> = {
  CustomerRegistered: {
    subject: (d) => customerSubject(d.customerId),
    personal: ['name', 'email', 'phone', 'address'],
    plain: ['customerId', 'userId', 'registeredAt'],
  },
  CustomerUpdated: {
    subject: (d) => customerSubject(d.customerId),
    personal: ['name', 'phone', 'address'],
    plain: ['customerId', 'preferences.language', 'updatedAt'],
  },
  // The document itself is in the blob store, encrypted under the customer's key; its kind and type are not personal.
  DocumentUploaded: {
    subject: (d) => customerSubject(d.customerId),
    personal: [],
    plain: ['customerId', 'documentId', 'kind', 'contentType', 'uploadedAt'],
  },
  CustomerErased: {
    subject: (d) => customerSubject(d.customerId),
    personal: [],
    plain: ['customerId', 'userId', 'erasedAt'],
  },
};
