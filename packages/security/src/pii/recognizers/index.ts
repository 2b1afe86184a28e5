import type { Recognizer } from "../types.js";
import { creditCardRecognizer } from "./credit-card.js";
import { dateOfBirthRecognizer } from "./date-of-birth.js";
import { emailRecognizer } from "./email.js";
import { ibanRecognizer } from "./iban.js";
import { ipAddressRecognizer } from "./ip-address.js";
import { locationRecognizer } from "./location.js";
import { macAddressRecognizer } from "./mac-address.js";
import { personRecognizer } from "./person.js";
import { phoneRecognizer } from "./phone.js";
import { secretRecognizer } from "./secret.js";
import { urlRecognizer } from "./url.js";
import { usSsnRecognizer } from "./us-ssn.js";

/** The recognizers that {@link detectPii} always runs. */
export const BUILT_IN_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  phoneRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  ipAddressRecognizer,
  urlRecognizer,
  macAddressRecognizer,
  secretRecognizer,
  dateOfBirthRecognizer,
  personRecognizer,
  locationRecognizer,
];

export {
  creditCardRecognizer,
  dateOfBirthRecognizer,
  emailRecognizer,
  ibanRecognizer,
  ipAddressRecognizer,
  locationRecognizer,
  macAddressRecognizer,
  personRecognizer,
  phoneRecognizer,
  secretRecognizer,
  urlRecognizer,
  usSsnRecognizer,
};
