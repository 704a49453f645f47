"""Still more hand-written fragments (issue 6): everyday vocabulary and synonyms the earlier lists
lacked, plain descriptive sentences without the usual complaint keywords, and the borderline
subjects between neighbouring categories (a park's broken bench is `trees_parks`, not
`urban_order`; a street light that is out is `street_lighting`, a power outage `power_telecom`;
a restaurant's hygiene near a monument is `health`, a tour guide's overcharging
`heritage_tourism`). gen_corpus.py appends them to the lists of fragments.py.
"""

WIDE = {
    "waste": [
        "{Điểm tập kết rác|Bãi rác tự phát|Ụ rác} {ngay|sát} {cổng trường|chân cầu|bờ sông|chợ} {ruồi nhặng bu đầy|bốc mùi nồng nặc|chó mèo bới tung}.",
        "{Xe thu gom|Xe ép rác|Xe rác} của {công ty môi trường|HEPCO|đơn vị thu gom} {bỏ sót|không vào|chạy qua mà không lấy rác} {kiệt|tổ dân phố|xóm} {tuần ni|mấy lần rồi}.",
        "{Nước rỉ rác|Nước từ xe rác} {chảy|nhỏ giọt} {dọc đường|trên mặt đường} {hôi|tanh} {không chịu nổi|quá}.",
        "{Xà bần|Gạch vụn|Phế thải xây dựng} {bị|được} {đổ trộm|đổ lén} {ban đêm|} {ven đường|trên đất trống|ở bãi đất}.",
        "{Thùng rác công cộng|Thùng rác} {bị mất|bị hư nắp|bị vỡ|không còn}, {người dân phải bỏ rác xuống đất|rác tràn ra ngoài}.",
        "{Khu chợ|Chợ tạm|Bến ghe} {sau giờ họp|cuối ngày} {bừa bộn|ngập rác|vương vãi rác thải}, không ai {dọn vệ sinh|quét dọn}.",
        "Đề nghị {bố trí thêm thùng rác|tăng tần suất thu gom rác|thu gom rác đúng giờ} {cho|tại} $LOC.",
    ],
    "drainage": [
        "{Nắp hố ga|Nắp cống} {bị mất|bị lật|bị hở} {giữa đường|trên vỉa hè}, {nước cống|nước bẩn} {sủi bọt|trào lên} {mỗi khi mưa|}.",
        "{Rãnh|Mương|Kênh} thoát nước {bị lấp|bị san lấp|bị người dân đổ đất} {để làm nhà|để mở lối đi}, {mưa xuống là ngập|nước không thoát}.",
        "{Nước đọng|Vũng nước} {lâu ngày|không rút} {sinh muỗi|sinh lăng quăng|xanh rêu} {trước nhà|trong kiệt}.",
        "{Công trình|Dự án} {làm đường|thi công} {lấp|chặn} {cửa xả|đường thoát nước}, {nhà dân bị ngập|ngập vào nhà}.",
    ],
    "water_supply": [
        "{Nhà tôi|Cả xóm|Khu tập thể} {mất nước|không có nước sinh hoạt} {từ sáng|hai ngày nay|$DUR} {không được báo trước|không có thông báo}.",
        "{Đồng hồ nước|Công tơ nước} {chạy|quay} {sai|nhanh bất thường}, {hóa đơn tiền nước|tiền nước} {tăng gấp đôi|cao bất thường}.",
        "{Nước máy|Nước sinh hoạt} {có mùi clo|có mùi lạ|đục ngầu|có cặn vàng} {không dám dùng|phải mua nước bình}.",
        "{Ống nước|Đường ống cấp nước} {bị vỡ|rò rỉ} {phun|chảy} {lênh láng|thành vòi} {ra đường|dưới lòng đường} {lãng phí|}.",
        "Xin {lắp đặt|đấu nối} {nước máy|đồng hồ nước} {cho|đến} {kiệt|khu dân cư} {mới|chưa có nước sạch}.",
    ],
    "trees_parks": [
        "{Ghế đá|Băng ghế} {trong công viên|ven hồ|ở vườn hoa} {bị gãy|bị vỡ|bị nhổ} {chưa được thay|}.",
        "{Nhà vệ sinh công cộng|Nhà vệ sinh} {trong công viên|ở công viên} {khóa cửa|hôi hám|không có nước|xuống cấp}.",
        "{Cỏ|Cỏ dại|Bãi cỏ} {trong công viên|trên dải phân cách|ở vườn hoa} {mọc um tùm|cao quá đầu gối|không được cắt}.",
        "{Khu vui chơi trẻ em|Sân chơi|Cầu trượt|Xích đu} {trong công viên|} {bị hư|rỉ sét|gãy} {trẻ con dễ bị thương|nguy hiểm cho các cháu}.",
        "{Bồn hoa|Thảm cỏ|Hàng rào cây} {bị giẫm nát|bị phá|bị xe cán} {xơ xác|}, đề nghị {chăm sóc|trồng lại}.",
        "{Cây cổ thụ|Cây xà cừ|Cây phượng|Cây long não} {bị mối ăn|mục rỗng|nứt gốc} {có thể đổ bất cứ lúc nào|rất nguy hiểm}.",
        "{Rễ cây|Rễ cây lớn} {trồi lên|đội} {làm|} {vỡ|nứt} {gạch|vỉa hè} {và|} {đâm vào|} {nhà dân|tường rào}.",
        "{Cây|Cành cây} {gãy|đổ} {đè|chắn} {xe|lối đi|lòng đường} {sau cơn giông|sau trận mưa}, cần {dọn|cắt bỏ} gấp.",
        "{Công viên|Vườn hoa} {tối|bẩn|xuống cấp} {không ai chăm sóc|hoang tàn}, {cây chết khô|hoa héo}.",
    ],
    "street_lighting": [
        "{Bóng đèn|Đèn} {đường|trên cột} {chập chờn|nhấp nháy|lúc sáng lúc tắt} {cả đêm|mấy tuần nay}.",
        "{Cả dãy|Hàng} đèn {chiếu sáng|đường} {vẫn sáng|bật} {giữa ban ngày|lúc trưa} {lãng phí điện|}.",
        "{Đoạn đường|Kiệt|Cầu} {không có|thiếu} đèn chiếu sáng, {ban đêm|tối} {tối thui|tối om} {dễ xảy ra tai nạn|mất an toàn}.",
        "{Đèn trang trí|Đèn led|Đèn chiếu sáng} {trên cầu|ven sông|ở công viên} {hư|tắt} {nhiều bóng|một nửa}.",
        "Đề nghị {lắp|bổ sung} {đèn đường|bóng đèn chiếu sáng} {cho|tại} $LOC.",
    ],
    "roads": [
        "{Mặt đường|Đường} {bị lún|sụt lún|bong tróc|nứt toác} {thành hố|sâu} {xe máy dễ ngã|nguy hiểm}.",
        "{Vạch kẻ đường|Vạch sơn|Vạch đi bộ} {bị mờ|đã phai} {không nhìn thấy|}, đề nghị sơn lại.",
        "{Biển báo|Biển cấm|Biển chỉ dẫn} {bị nghiêng|bị gãy|bị che khuất|bị mất} {tại|ở} $LOC.",
        "{Gạch lát vỉa hè|Vỉa hè|Bó vỉa} {bị vỡ|bong|sụt} {gập ghềnh|lồi lõm} {người đi bộ vấp ngã|khó đi}.",
        "{Đơn vị thi công|Công trình} {đào đường|cắt đường} {xong|} {không hoàn trả|hoàn trả tạm bợ} mặt đường, {lồi lõm|đầy đá}.",
        "{Gờ giảm tốc|Gờ chắn} {quá cao|làm tự phát} {gây nguy hiểm|xe cán qua bị xóc}.",
        "{Đèn tín hiệu|Đèn giao thông|Đèn xanh đèn đỏ} {tại ngã tư|ở nút giao} {bị hư|không hoạt động|chỉ nháy vàng}.",
        "{Lan can cầu|Dải phân cách|Hộ lan} {bị gãy|bị xe tông hỏng} {chưa sửa|}.",
        "{Đường|Con đường} {đất|cấp phối} {lầy lội|đầy ổ voi} {mưa xuống|mỗi khi mưa} {không đi được|}.",
    ],
    "power_telecom": [
        "{Cúp điện|Mất điện} {liên tục|mấy lần một ngày|cả buổi} {không báo trước|không thông báo}, {hư đồ điện|nóng quá}.",
        "{Dây cáp|Cáp quang|Dây mạng} {đứt|chùng} {lòng thòng|võng xuống} {ngang đường|sát đầu người}.",
        "{Trạm biến áp|Tủ điện|Hộp công tơ} {kêu to|bốc khói|hở cửa} {sát nhà dân|cạnh trường học}.",
        "{Điện áp|Điện} {yếu|chập chờn} {quạt không quay|máy bơm không chạy} {vào buổi tối|}.",
        "{Cột điện|Trụ điện} {nghiêng|mục chân} {kéo theo dây điện|} {sắp đổ|nguy hiểm}.",
    ],
    "urban_order": [
        "{Nhà|Hộ dân|Chủ nhà} {xây dựng|cơi nới|xây thêm tầng} {trái phép|không phép|sai phép} {lấn ra|lấn sang} {đường kiệt|phần đất công}.",
        "{Quán nhậu|Quán ăn|Cửa hàng} {bày bàn ghế|để hàng hóa|dựng mái che} {tràn xuống lòng đường|chiếm hết vỉa hè}.",
        "{Xe ô tô|Ô tô|Xe tải} {đậu|đỗ} {trên vỉa hè|dưới lòng đường|trước cổng} {cả ngày|qua đêm} {chắn lối đi|}.",
        "{Biển quảng cáo|Bảng hiệu|Băng rôn} {treo|dựng} {tràn lan|sai quy định} {trên cột|trên vỉa hè}.",
        "{Người bán hàng rong|Gánh hàng rong|Xe bán trái cây} {tụ tập|chiếm|bày bán} {ở|trên} {vỉa hè|cổng chợ|lòng đường}.",
        "{Vật liệu xây dựng|Cát đá|Gạch cát} {đổ|tập kết} {trên đường|trên vỉa hè} {cả tuần|chắn lối đi}.",
        "{Dựng lều|Căng bạt|Dựng rạp} {đám cưới|đám tiệc} {chiếm|chắn} {hết|cả} {đường kiệt|lòng đường}.",
        "{Công trình|Nhà} {xây dựng|đang xây} {không che chắn|để vật liệu rơi} {bụi bặm|rơi xuống nhà bên}.",
    ],
    "public_security": [
        "{Nhóm thanh niên|Mấy đối tượng|Một nhóm người} {tụ tập|nhậu} {gây gổ|đánh nhau|chửi bới} {khuya|trong kiệt|ở quán}.",
        "{Trộm|Kẻ gian} {cạy cửa|bẻ khóa|lấy} {xe máy|điện thoại|đồ} {của người dân|trong nhà}, đề nghị công an {điều tra|tăng cường tuần tra}.",
        "{Mở nhạc|Loa kẹo kéo|Hát karaoke} {quá to|hết công suất} {đến khuya|quá 22 giờ|sau 23h} {không ai ngủ được|làm phiền}.",
        "{Xe tải|Xe container|Xe ben} {chạy|phóng} {quá tốc độ|vượt ẩu} {vào giờ tan học|trong khu dân cư}.",
        "{Có đối tượng|Có người lạ} {nghi|nghi là} {ma túy|sử dụng ma túy|cờ bạc} {tụ tập|hoạt động} {ở|tại} {bãi đất trống|nhà hoang}.",
        "{Tai nạn giao thông|Va chạm giao thông} {thường xuyên xảy ra|liên tục} {tại|ở} $LOC, đề nghị {cảnh sát giao thông|CSGT} {xử lý|kiểm tra}.",
    ],
    "health": [
        "{Quán ăn|Bếp ăn|Cơ sở} {ở|gần} {chợ|trường học} {bẩn thỉu|mất vệ sinh|dùng thực phẩm ôi thiu}, {nhiều người bị ngộ độc|ăn xong đau bụng}.",
        "{Phòng khám tư|Phòng khám|Nhà thuốc} {không có giấy phép|hành nghề chui|bán thuốc không kê đơn} {tại|ở} $LOC.",
        "{Sốt xuất huyết|Dịch sốt xuất huyết|Tay chân miệng} {có nhiều ca|đang lan} {trong xóm|ở tổ dân phố}, đề nghị {phun thuốc diệt muỗi|phun hóa chất}.",
        "{Thực phẩm|Bánh kẹo|Thịt} {không rõ nguồn gốc|hết hạn sử dụng|bẩn} {bán tràn lan|được bán} {ở|trước} {cổng trường|chợ}.",
        "{Bệnh viện|Trạm y tế} {thái độ|nhân viên} {phục vụ kém|gây khó dễ|bắt chờ lâu} {bệnh nhân|người dân}.",
        "{Lò mổ|Cơ sở giết mổ|Cơ sở chế biến} {mất vệ sinh|không kiểm dịch|xả nước thải} {gần khu dân cư|}.",
    ],
    "heritage_tourism": [
        "{Du khách|Khách du lịch|Khách nước ngoài} bị {chặt chém|bán giá cắt cổ|tính giá gấp mấy lần} {khi đi xích lô|khi mua hàng lưu niệm|khi đi thuyền rồng}.",
        "{Di tích|Lăng|Đàn Nam Giao|Cửa Ngăn|Kỳ Đài} {bị xuống cấp|bị viết vẽ bậy|tường thành nứt} {cần|đề nghị} {tu bổ|bảo vệ}.",
        "{Hướng dẫn viên|Cò du lịch|Người chèo kéo} {đeo bám|chèo kéo|lôi kéo} khách {tại|trước} {cổng Đại Nội|bến thuyền|chợ Đông Ba}.",
        "{Vé tham quan|Giá vé} {Đại Nội|lăng Tự Đức|lăng Minh Mạng|lăng Khải Định} {khó mua|bán sai giá|thiếu thông tin cho khách}.",
        "{Xây dựng|Nhà} {trong vùng bảo vệ di tích|sát tường thành|trong Kinh thành} {làm ảnh hưởng|xâm phạm} {di tích|cảnh quan}.",
        "{Homestay|Khách sạn|Nhà nghỉ} {lừa|không đúng như quảng cáo|tăng giá phòng} {khách du lịch|du khách} {mùa Festival|dịp lễ}.",
    ],
    "invalid": [
        "{Cho hỏi|Xin hỏi|Mình hỏi} {thủ tục|hồ sơ} {làm căn cước|đăng ký tạm trú|cấp sổ đỏ|đổi bằng lái} {cần những gì|ở đâu|mất bao lâu} {ạ|vậy|}?",
        "{Xin chào|Chào anh chị|Alo}{, mình test app|, thử ứng dụng|} {thôi|nha|ạ}.",
        "{Bán|Cần bán|Thanh lý} {đất|nhà|xe} {giá rẻ|chính chủ} {liên hệ|LH} {0905|0914|0935}{123456|888999|246810}.",
        "{Cảm ơn|Cám ơn} {các anh|các anh chị|IOC} {đã xử lý|nhiệt tình|rất nhiều} {ạ|!}",
        "{Ở đây|Chỗ này|Chỗ em} {có vấn đề|không ổn|hơi tệ} {lắm|quá}, {đề nghị xem xét|mong xử lý}.",
        "{Góp ý|Ý kiến}: {app|ứng dụng Hue-S} {chậm quá|khó dùng|hay bị lỗi đăng nhập}, {nâng cấp đi|mong cải thiện}.",
    ],
}
