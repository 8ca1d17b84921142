import { config } from '../../../config'

Component({
  data: {
    lines: config.checkupNotice,
    servicePhone: config.servicePhone,
  },
  methods: {
    onCall(): void {
      if (config.servicePhone) wx.makePhoneCall({ phoneNumber: config.servicePhone })
    },
  },
})
